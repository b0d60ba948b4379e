package dev.signet.index;

import static dev.signet.index.Samples.MD5_A;
import static dev.signet.index.Samples.PAGE;
import static dev.signet.index.Samples.SHA256_A;
import static dev.signet.index.Samples.SHA256_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonIndexParserTest {

    private static byte[] utf8(String json) {
        return json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    /** A page with one file whose JSON object is {@code fileFields} plus the mandatory keys. */
    private static byte[] pageWithFile(String fileFields) {
        return utf8("{'meta':{'api-version':'1.1'},'name':'foo','files':[{'filename':'foo-1.0.tar.gz',"
                + "'url':'https://files.example/foo-1.0.tar.gz','hashes':{}" + fileFields + "}],'versions':['1.0']}");
    }

    private static DistributionFile onlyFile(String fileFields) throws IndexFormatException {
        return JsonIndexParser.parseProject(pageWithFile(fileFields), PAGE).files().get(0);
    }

    @Test
    void readsEveryField() throws Exception {
        byte[] json = utf8("{'meta':{'api-version':'1.1','_last-serial':123},'name':'foo','files':["
                + "{'filename':'foo-1.0-py3-none-any.whl','url':'../../packages/foo-1.0-py3-none-any.whl',"
                + "'hashes':{'sha256':'" + SHA256_A.toUpperCase() + "','md5':'" + MD5_A + "'},"
                + "'requires-python':'<4,>=3.8','yanked':'bad \\'build\\'','core-metadata':{'sha256':'" + SHA256_B + "'},"
                + "'data-dist-info-metadata':{'sha256':'" + SHA256_B + "'},'size':12345,"
                + "'upload-time':'2024-01-02T03:04:05.678901Z','provenance':'https://prov.example/p',"
                + "'gpg-sig':false}],'versions':['0.9','1.0'],'alternate-locations':[]}");

        ProjectPage page = JsonIndexParser.parseProject(json, PAGE);

        assertThat(page.name()).isEqualTo("foo");
        assertThat(page.apiVersion()).isEqualTo(ApiVersion.V1_1);
        assertThat(page.versions()).containsExactly("0.9", "1.0");
        DistributionFile file = page.files().get(0);
        assertThat(file).isEqualTo(new DistributionFile("foo-1.0-py3-none-any.whl",
                URI.create("https://pypi.example/packages/foo-1.0-py3-none-any.whl"),
                Map.of("sha256", SHA256_A, "md5", MD5_A), "<4,>=3.8", new Yank("bad \"build\""),
                new CoreMetadata(Map.of("sha256", SHA256_B)), 12345L, "2024-01-02T03:04:05.678901Z",
                "https://prov.example/p"));
        assertThat(file.hashes().keySet()).containsExactly("sha256", "md5");
    }

    @Test
    void ignoresUnknownKeysEverywhere() throws Exception {
        byte[] json = utf8("{'meta':{'api-version':'1.0','x':{'deep':[1,2]}},'name':'foo','project-status':{'status':'active'},"
                + "'files':[{'filename':'foo-1.0.tar.gz','url':'https://f.example/foo-1.0.tar.gz','hashes':{},"
                + "'future-key':[null,{'a':1}]}]}");

        ProjectPage page = JsonIndexParser.parseProject(json, PAGE);

        assertThat(page.files()).containsExactly(new DistributionFile("foo-1.0.tar.gz",
                URI.create("https://f.example/foo-1.0.tar.gz"), Map.of(), null, null, null, null, null, null));
        assertThat(page.versions()).isEmpty();
        assertThat(page.apiVersion()).isEqualTo(ApiVersion.V1_0);
    }

    @Test
    void yankedForms() throws Exception {
        assertThat(onlyFile(",'yanked':false").yanked()).isNull();
        assertThat(onlyFile(",'yanked':null").yanked()).isNull();
        assertThat(onlyFile(",'yanked':true").yanked()).isEqualTo(new Yank(""));
        assertThat(onlyFile(",'yanked':'security'").yanked()).isEqualTo(new Yank("security"));
        // uv and Signet read an empty reason as yanked; refusing to pick the file is the safe side.
        assertThat(onlyFile(",'yanked':''").yanked()).isEqualTo(new Yank(""));
    }

    @Test
    void coreMetadataFormsAndLegacyFallback() throws Exception {
        assertThat(onlyFile(",'core-metadata':false").coreMetadata()).isNull();
        assertThat(onlyFile(",'core-metadata':true").coreMetadata()).isEqualTo(new CoreMetadata(Map.of()));
        assertThat(onlyFile(",'dist-info-metadata':true").coreMetadata()).isEqualTo(new CoreMetadata(Map.of()));
        assertThat(onlyFile(",'dist-info-metadata':{'sha256':'" + SHA256_A + "'}").coreMetadata())
                .isEqualTo(new CoreMetadata(Map.of("sha256", SHA256_A)));
        assertThat(onlyFile(",'core-metadata':false,'dist-info-metadata':true").coreMetadata()).isNull();
        assertThat(onlyFile(",'core-metadata':{},'dist-info-metadata':false").coreMetadata())
                .isEqualTo(new CoreMetadata(Map.of()));
    }

    @Test
    void hashInUrlFragmentIsFoldedIntoHashes() throws Exception {
        byte[] json = utf8("{'meta':{'api-version':'1.0'},'name':'foo','files':[{'filename':'foo-1.0.tar.gz',"
                + "'url':'https://f.example/foo-1.0.tar.gz#md5=" + MD5_A + "&sha256=" + SHA256_B + "',"
                + "'hashes':{'sha256':'" + SHA256_A + "'}}]}");

        DistributionFile file = JsonIndexParser.parseProject(json, PAGE).files().get(0);

        assertThat(file.url()).isEqualTo(URI.create("https://f.example/foo-1.0.tar.gz"));
        assertThat(file.hashes()).containsExactly(Map.entry("sha256", SHA256_A), Map.entry("md5", MD5_A));
    }

    @Test
    void keepsUnicodeFileNamesAndEncodesTheirUrls() throws Exception {
        byte[] json = utf8("{'meta':{'api-version':'1.0'},'name':'foo','files':[{'filename':'f\u00f6\u00f6 1.0+x.tar.gz',"
                + "'url':'f\u00f6\u00f6 1.0+x.tar.gz','hashes':{}}]}");

        DistributionFile file = JsonIndexParser.parseProject(json, PAGE).files().get(0);

        assertThat(file.filename()).isEqualTo("f\u00f6\u00f6 1.0+x.tar.gz");
        assertThat(file.url().toASCIIString()).isEqualTo("https://pypi.example/simple/foo/f%C3%B6%C3%B6%201.0+x.tar.gz");
    }

    @Test
    void keepsTheFirstOfDuplicateFiles() throws Exception {
        byte[] json = utf8("{'meta':{'api-version':'1.0'},'name':'foo','files':["
                + "{'filename':'foo-1.0.tar.gz','url':'a/foo-1.0.tar.gz','hashes':{}},"
                + "{'filename':'foo-1.0.tar.gz','url':'b/foo-1.0.tar.gz','hashes':{}}]}");

        ProjectPage page = JsonIndexParser.parseProject(json, PAGE);

        assertThat(page.files()).singleElement().extracting(f -> f.url().getPath()).isEqualTo("/simple/foo/a/foo-1.0.tar.gz");
    }

    @Test
    void readsTheRoot() throws Exception {
        ProjectList list = JsonIndexParser.parseRoot(utf8(
                "{'meta':{'api-version':'1.0'},'projects':[{'name':'Frob'},{'name':'zope.interface','x':1}]}"));

        assertThat(list).isEqualTo(new ProjectList(List.of("Frob", "zope.interface"), ApiVersion.V1_0));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON                  | {'meta':                                   | not valid JSON: Unexpected end-of-input",
        "empty                     | ''                                         | empty JSON document",
        "array                     | []                                         | JSON page must be an object, got array []",
        "trailing tokens           | {'meta':{'api-version':'1.0'}} {}          | not valid JSON: Trailing token",
        "duplicate key             | {'meta':{},'meta':{}}                      | not valid JSON: Duplicate field 'meta'",
        "no meta                   | {'name':'foo','files':[]}                  | \"meta\" must be an object, got nothing",
        "meta not object           | {'meta':'1.0'}                             | \"meta\" must be an object, got string \"1.0\"",
        "api-version missing       | {'meta':{}}                                | meta: \"api-version\" must be a non-empty string, got nothing",
        "api-version number        | {'meta':{'api-version':1.0}}               | meta: \"api-version\" must be a non-empty string, got number 1.0",
        "api-version major 2       | {'meta':{'api-version':'2.0'}}             | unsupported api-version 2.0 (only major version 1 is understood)",
        "name missing              | {'meta':{'api-version':'1.0'},'files':[]}  | project page: \"name\" must be a non-empty string, got nothing",
        "files missing             | {'meta':{'api-version':'1.0'},'name':'foo'} | project page: \"files\" must be an array, got nothing",
        "files object              | {'meta':{'api-version':'1.0'},'name':'foo','files':{}} | project page: \"files\" must be an array, got object {}",
        "file not object           | {'meta':{'api-version':'1.0'},'name':'foo','files':['x']} | files[0] must be an object, got string \"x\"",
        "versions not array        | {'meta':{'api-version':'1.0'},'name':'foo','files':[],'versions':'1.0'} | \"versions\" must be an array of strings, got string \"1.0\"",
        "version not string        | {'meta':{'api-version':'1.0'},'name':'foo','files':[],'versions':[1]} | versions[0] must be a string, got number 1",
    })
    void refusesMalformedProjectPages(String why, String json, String message) {
        assertThatThrownBy(() -> JsonIndexParser.parseProject(utf8(json), PAGE))
                .isInstanceOf(IndexFormatException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "filename missing   | {'url':'a','hashes':{}}                          | files[0]: \"filename\" must be a non-empty string, got nothing",
        "filename with path | {'filename':'../x.tar.gz','url':'a','hashes':{}} | files[0]: file name \"../x.tar.gz\" contains a path separator",
        "url missing        | {'filename':'x.tar.gz','hashes':{}}              | files[0] (x.tar.gz): \"url\" must be a non-empty string, got nothing",
        "url unparseable    | {'filename':'x.tar.gz','url':'http://[x','hashes':{}} | files[0] (x.tar.gz): unparseable url \"http://[x\"",
        "hashes missing     | {'filename':'x.tar.gz','url':'a'}                | files[0] (x.tar.gz) hashes must be an object, got nothing",
        "hashes array       | {'filename':'x.tar.gz','url':'a','hashes':[]}    | files[0] (x.tar.gz) hashes must be an object, got array []",
        "hash value number  | {'filename':'x.tar.gz','url':'a','hashes':{'sha256':1}} | files[0] (x.tar.gz) hashes: \"sha256\" must be a hex string, got number 1",
        "hash not hex       | {'filename':'x.tar.gz','url':'a','hashes':{'sha256':'zz'}} | files[0] (x.tar.gz) hashes: sha256 digest is not hex: \"zz\"",
        "hash wrong length  | {'filename':'x.tar.gz','url':'a','hashes':{'md5':'abcd'}} | files[0] (x.tar.gz) hashes: md5 digest has 4 hex digits, expected 32",
        "hash bad name      | {'filename':'x.tar.gz','url':'a','hashes':{'SHA-256':'ab'}} | files[0] (x.tar.gz) hashes: invalid hash name \"SHA-256\"",
        "requires-python    | {'filename':'x.tar.gz','url':'a','hashes':{},'requires-python':3} | files[0] (x.tar.gz): \"requires-python\" must be a string, got number 3",
        "yanked number      | {'filename':'x.tar.gz','url':'a','hashes':{},'yanked':1} | files[0] (x.tar.gz): \"yanked\" must be a boolean or string, got number 1",
        "core-metadata str  | {'filename':'x.tar.gz','url':'a','hashes':{},'core-metadata':'true'} | files[0] (x.tar.gz): \"core-metadata\" must be a boolean or an object of hashes, got string",
        "dist-info bad hash | {'filename':'x.tar.gz','url':'a','hashes':{},'dist-info-metadata':{'sha256':'x'}} | files[0] (x.tar.gz) dist-info-metadata: sha256 digest is not hex",
        "size negative      | {'filename':'x.tar.gz','url':'a','hashes':{},'size':-1} | files[0] (x.tar.gz): \"size\" must be a non-negative integer, got number -1",
        "size fraction      | {'filename':'x.tar.gz','url':'a','hashes':{},'size':1.5} | files[0] (x.tar.gz): \"size\" must be a non-negative integer, got number 1.5",
        "size string        | {'filename':'x.tar.gz','url':'a','hashes':{},'size':'10'} | files[0] (x.tar.gz): \"size\" must be a non-negative integer, got string",
        "size too big       | {'filename':'x.tar.gz','url':'a','hashes':{},'size':99999999999999999999} | files[0] (x.tar.gz): \"size\" must be a non-negative integer",
        "upload-time number | {'filename':'x.tar.gz','url':'a','hashes':{},'upload-time':0} | files[0] (x.tar.gz): \"upload-time\" must be a string, got number 0",
        "provenance object  | {'filename':'x.tar.gz','url':'a','hashes':{},'provenance':{}} | files[0] (x.tar.gz): \"provenance\" must be a string, got object {}",
    })
    void refusesMalformedFiles(String why, String file, String message) {
        byte[] json = utf8("{'meta':{'api-version':'1.1'},'name':'foo','files':[" + file + "]}");

        assertThatThrownBy(() -> JsonIndexParser.parseProject(json, PAGE))
                .isInstanceOf(IndexFormatException.class)
                .hasMessageStartingWith(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "projects missing   | {'meta':{'api-version':'1.0'}}                 | root page: \"projects\" must be an array, got nothing",
        "project not object | {'meta':{'api-version':'1.0'},'projects':['a']} | projects[0] must be an object, got string \"a\"",
        "name missing       | {'meta':{'api-version':'1.0'},'projects':[{}]}  | projects[0]: \"name\" must be a non-empty string, got nothing",
        "no meta            | {'projects':[]}                                 | \"meta\" must be an object, got nothing",
    })
    void refusesMalformedRoots(String why, String json, String message) {
        assertThatThrownBy(() -> JsonIndexParser.parseRoot(utf8(json)))
                .isInstanceOf(IndexFormatException.class)
                .hasMessageStartingWith(message);
    }
}
