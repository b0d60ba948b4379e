package dev.signet.index;

import static dev.signet.index.Samples.MD5_A;
import static dev.signet.index.Samples.PAGE;
import static dev.signet.index.Samples.SHA256_A;
import static dev.signet.index.Samples.SHA256_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HtmlIndexParserTest {

    private static ProjectPage parse(String body) throws IndexFormatException {
        return HtmlIndexParser.parseProject("<!DOCTYPE html><html><body>" + body + "</body></html>", PAGE, "foo");
    }

    private static DistributionFile only(String anchor) throws IndexFormatException {
        ProjectPage page = parse(anchor);
        assertThat(page.files()).hasSize(1);
        return page.files().get(0);
    }

    @Test
    void readsAPyPiStyleLink() throws Exception {
        DistributionFile file = only("<a href=\"https://files.example/packages/ab/cd/foo-1.0-py3-none-any.whl#sha256="
                + SHA256_A + "\" data-requires-python=\"&gt;=3.8\" data-dist-info-metadata=\"sha256=" + SHA256_B
                + "\" data-core-metadata=\"sha256=" + SHA256_B + "\">foo-1.0-py3-none-any.whl</a><br/>");

        assertThat(file).isEqualTo(new DistributionFile("foo-1.0-py3-none-any.whl",
                URI.create("https://files.example/packages/ab/cd/foo-1.0-py3-none-any.whl"),
                Map.of("sha256", SHA256_A), ">=3.8", null,
                new CoreMetadata(Map.of("sha256", SHA256_B)), null, null, null));
        assertThat(file.sha256()).contains(SHA256_A);
    }

    @Test
    void resolvesRelativeHrefsAgainstThePageUrl() throws Exception {
        ProjectPage page = parse("<a href=\"../../packages/foo-1.0.tar.gz\">a</a>"
                + "<a href=\"/root/foo-1.1.tar.gz\">b</a>"
                + "<a href=\"foo-1.2.tar.gz\">c</a>"
                + "<a href=\"//cdn.example/x/foo-1.3.tar.gz\">d</a>"
                + "<a href=\"http://other.example:8080/y/foo-1.4.tar.gz\">e</a>");

        assertThat(page.files()).extracting(f -> f.url().toString()).containsExactly(
                "https://pypi.example/packages/foo-1.0.tar.gz",
                "https://pypi.example/root/foo-1.1.tar.gz",
                "https://pypi.example/simple/foo/foo-1.2.tar.gz",
                "https://cdn.example/x/foo-1.3.tar.gz",
                "http://other.example:8080/y/foo-1.4.tar.gz");
        assertThat(page.files()).extracting(DistributionFile::filename).containsExactly(
                "foo-1.0.tar.gz", "foo-1.1.tar.gz", "foo-1.2.tar.gz", "foo-1.3.tar.gz", "foo-1.4.tar.gz");
    }

    @Test
    void baseHrefOverridesThePageUrlAndMayItselfBeRelative() throws Exception {
        String html = "<html><head><base href=\"../../mirror/\"></head><body>"
                + "<a href=\"foo-1.0.tar.gz\">foo-1.0.tar.gz</a></body></html>";

        ProjectPage page = HtmlIndexParser.parseProject(html, PAGE, "foo");

        assertThat(page.files().get(0).url()).isEqualTo(URI.create("https://pypi.example/mirror/foo-1.0.tar.gz"));
    }

    @Test
    void baseUrlWithoutPathResolvesLikeABrowser() throws Exception {
        ProjectPage page = HtmlIndexParser.parseProject("<a href=\"foo-1.0.tar.gz\">x</a>",
                URI.create("http://host.example"), "foo");

        assertThat(page.files().get(0).url()).isEqualTo(URI.create("http://host.example/foo-1.0.tar.gz"));
    }

    @Test
    void keepsEveryHashOfTheFragmentAndIgnoresOtherFragmentParts() throws Exception {
        DistributionFile file = only("<a href=\"foo-1.0.tar.gz#md5=" + MD5_A.toUpperCase() + "&amp;sha256=" + SHA256_A
                + "&amp;egg=foo\">foo-1.0.tar.gz</a>");

        assertThat(file.hashes()).containsExactly(Map.entry("md5", MD5_A), Map.entry("sha256", SHA256_A));
        assertThat(file.url().getRawFragment()).isNull();
    }

    @Test
    void decodesPercentEncodedFileNamesButKeepsPlusAndEncodesSpacesAndUnicode() throws Exception {
        ProjectPage page = parse("<a href=\"my%20pkg-1.0%2Blocal.tar.gz\">a</a>"
                + "<a href=\"foo-1.0+cpu-cp311-none-any.whl\">b</a>"
                + "<a href=\"sp ace-1.0.tar.gz\">c</a>"
                + "<a href=\"pkg-1.0-\u00e9\u6f22.tar.gz\">d</a>");

        assertThat(page.files()).extracting(DistributionFile::filename).containsExactly(
                "my pkg-1.0+local.tar.gz", "foo-1.0+cpu-cp311-none-any.whl", "sp ace-1.0.tar.gz",
                "pkg-1.0-\u00e9\u6f22.tar.gz");
        assertThat(page.files()).extracting(f -> f.url().toASCIIString()).containsExactly(
                "https://pypi.example/simple/foo/my%20pkg-1.0%2Blocal.tar.gz",
                "https://pypi.example/simple/foo/foo-1.0+cpu-cp311-none-any.whl",
                "https://pypi.example/simple/foo/sp%20ace-1.0.tar.gz",
                "https://pypi.example/simple/foo/pkg-1.0-%C3%A9%E6%BC%A2.tar.gz");
    }

    @Test
    void unescapesAttributes() throws Exception {
        DistributionFile file = only("<a href=\"foo-1.0.tar.gz\" data-requires-python=\"&lt;4,&gt;=3.8\""
                + " data-yanked=\"broken &quot;build&quot; &amp; more\">foo-1.0.tar.gz</a>");

        assertThat(file.requiresPython()).isEqualTo("<4,>=3.8");
        assertThat(file.yanked()).isEqualTo(new Yank("broken \"build\" & more"));
    }

    @Test
    void emptyRequiresPythonMeansNone() throws Exception {
        assertThat(only("<a href=\"foo-1.0.tar.gz\" data-requires-python=\"\">x</a>").requiresPython()).isNull();
    }

    @Test
    void yankedWithoutValueOrWithEmptyValueIsYankedWithoutReason() throws Exception {
        ProjectPage page = parse("<a href=\"a-1.tar.gz\" data-yanked>x</a><a href=\"b-1.tar.gz\" data-yanked=\"\">y</a>"
                + "<a href=\"c-1.tar.gz\">z</a>");

        assertThat(page.files()).extracting(DistributionFile::yanked)
                .containsExactly(new Yank(""), new Yank(""), null);
    }

    @Test
    void skipsAnchorsWithoutAFileToLinkTo() throws Exception {
        ProjectPage page = parse("<a name=\"top\">anchor</a><a href=\"\">empty</a><a href=\"/simple/\">dir</a>"
                + "<a href=\"foo-1.0.tar.gz\">foo-1.0.tar.gz</a>");

        assertThat(page.files()).extracting(DistributionFile::filename).containsExactly("foo-1.0.tar.gz");
    }

    @Test
    void keepsTheFirstOfDuplicateFiles() throws Exception {
        ProjectPage page = parse("<a href=\"foo-1.0.tar.gz#sha256=" + SHA256_A + "\">1</a>"
                + "<a href=\"https://mirror.example/foo-1.0.tar.gz#sha256=" + SHA256_B + "\">2</a>"
                + "<a href=\"foo-1.1.tar.gz\">3</a>");

        assertThat(page.files()).extracting(DistributionFile::filename).containsExactly("foo-1.0.tar.gz", "foo-1.1.tar.gz");
        assertThat(page.file("foo-1.0.tar.gz").orElseThrow().sha256()).contains(SHA256_A);
    }

    @Test
    void coreMetadataTrueHashedLegacyAndPrecedence() throws Exception {
        ProjectPage page = parse("<a href=\"a-1.whl\" data-core-metadata=\"true\">a</a>"
                + "<a href=\"b-1.whl\" data-core-metadata=\"sha256=" + SHA256_B.toUpperCase() + "\">b</a>"
                + "<a href=\"c-1.whl\" data-dist-info-metadata=\"true\">c</a>"
                + "<a href=\"d-1.whl\" data-core-metadata=\"sha256=" + SHA256_A + "\" data-dist-info-metadata=\"sha256="
                + SHA256_B + "\">d</a>"
                + "<a href=\"e-1.whl\">e</a>");

        assertThat(page.files()).extracting(DistributionFile::coreMetadata).containsExactly(
                new CoreMetadata(Map.of()),
                new CoreMetadata(Map.of("sha256", SHA256_B)),
                new CoreMetadata(Map.of()),
                new CoreMetadata(Map.of("sha256", SHA256_A)),
                null);
    }

    @Test
    void malformedCoreMetadataIsReadAsAbsentSoInstallersUseTheFile() throws Exception {
        ProjectPage page = parse("<a href=\"a-1.whl\" data-core-metadata=\"false\">a</a>"
                + "<a href=\"b-1.whl\" data-core-metadata=\"sha256=nothex\">b</a>");

        assertThat(page.files()).extracting(DistributionFile::coreMetadata).containsOnlyNulls();
    }

    @Test
    void readsProvenanceAsAnAbsoluteUrl() throws Exception {
        ProjectPage page = parse("<a href=\"a-1.whl\" data-provenance=\"https://prov.example/a-1.whl/provenance\">a</a>"
                + "<a href=\"b-1.whl\" data-provenance=\"/integrity/b-1.whl/provenance\">b</a>");

        assertThat(page.files()).extracting(DistributionFile::provenance).containsExactly(
                "https://prov.example/a-1.whl/provenance", "https://pypi.example/integrity/b-1.whl/provenance");
    }

    @Test
    void readsTheDeclaredApiVersionAndDefaultsTo10() throws Exception {
        String declared = "<html><head><meta name=\"pypi:repository-version\" content=\"1.3\"></head><body></body></html>";

        assertThat(HtmlIndexParser.parseProject(declared, PAGE, "foo").apiVersion()).isEqualTo(new ApiVersion(1, 3));
        assertThat(parse("").apiVersion()).isEqualTo(ApiVersion.V1_0);
        assertThat(parse("").versions()).isEmpty();
        assertThat(parse("").name()).isEqualTo("foo");
    }

    @Test
    void refusesAnUnknownMajorVersion() {
        String html = "<html><head><meta name=\"pypi:repository-version\" content=\"2.0\"></head></html>";

        assertThatThrownBy(() -> HtmlIndexParser.parseProject(html, PAGE, "foo"))
                .isInstanceOf(IndexFormatException.class)
                .hasMessage("unsupported api-version 2.0 (only major version 1 is understood)");
    }

    @Test
    void refusesAMalformedVersion() {
        String html = "<html><head><meta name=\"pypi:repository-version\" content=\"1.x\"></head></html>";

        assertThatThrownBy(() -> HtmlIndexParser.parseRoot(html))
                .isInstanceOf(IndexFormatException.class)
                .hasMessage("api-version is not MAJOR.MINOR: \"1.x\"");
    }

    @Test
    void refusesAKnownHashWithABadDigest() {
        assertThatThrownBy(() -> parse("<a href=\"foo-1.0.tar.gz#sha256=abc\">x</a>"))
                .isInstanceOf(IndexFormatException.class)
                .hasMessageContaining("sha256 digest is not hex: \"abc\"");
        assertThatThrownBy(() -> parse("<a href=\"foo-1.0.tar.gz#sha256=abcd\">x</a>"))
                .isInstanceOf(IndexFormatException.class)
                .hasMessageContaining("sha256 digest has 4 hex digits, expected 64");
    }

    @Test
    void refusesFileNamesThatAreNotOnePathSegment() {
        assertThatThrownBy(() -> parse("<a href=\"evil%2F..%2Fetc.tar.gz\">x</a>"))
                .isInstanceOf(IndexFormatException.class)
                .hasMessageContaining("contains a path separator or control character");
        assertThatThrownBy(() -> parse("<a href=\"%2E%2E\">x</a>"))
                .isInstanceOf(IndexFormatException.class)
                .hasMessageContaining("is not a file name");
    }

    @Test
    void skipsAnHrefThatIsNoUrlAtAll() throws Exception {
        ProjectPage page = parse("<a href=\"http://[bad/x.tar.gz\">x</a><a href=\"ok-1.tar.gz\">ok</a>");

        assertThat(page.files()).extracting(DistributionFile::filename).containsExactly("ok-1.tar.gz");
    }

    @Test
    void parsesSloppyMarkupLikeABrowser() throws Exception {
        ProjectPage page = HtmlIndexParser.parseProject(
                "<A HREF='foo-1.0.tar.gz' DATA-REQUIRES-PYTHON='>=3'>foo<a href=foo-1.1.tar.gz data-yanked>x", PAGE, "foo");

        assertThat(page.files()).extracting(DistributionFile::filename).containsExactly("foo-1.0.tar.gz", "foo-1.1.tar.gz");
        assertThat(page.files().get(0).requiresPython()).isEqualTo(">=3");
        assertThat(page.files().get(1).yanked()).isEqualTo(new Yank(""));
    }

    @Test
    void parsesAPageWithTwentyThousandLinks() throws Exception {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body>\n");
        for (int i = 0; i < 20_000; i++) {
            html.append("<a href=\"../../packages/p").append(i).append("/foo-").append(i)
                    .append(".tar.gz#sha256=").append(String.format("%064x", i))
                    .append("\" data-requires-python=\"&gt;=3.").append(i % 13).append("\">foo-").append(i)
                    .append(".tar.gz</a><br/>\n");
        }
        ProjectPage page = HtmlIndexParser.parseProject(html.append("</body></html>").toString(), PAGE, "foo");

        assertThat(page.files()).hasSize(20_000);
        DistributionFile last = page.files().get(19_999);
        assertThat(last.filename()).isEqualTo("foo-19999.tar.gz");
        assertThat(last.url()).isEqualTo(URI.create("https://pypi.example/packages/p19999/foo-19999.tar.gz"));
        assertThat(last.sha256()).contains(String.format("%064x", 19_999));
        assertThat(last.requiresPython()).isEqualTo(">=3." + (19_999 % 13));
    }

    @Test
    void rootPageListsAnchorTextsAsGiven() throws Exception {
        ProjectList list = HtmlIndexParser.parseRoot("<html><head><meta name=\"pypi:repository-version\" content=\"1.1\">"
                + "</head><body><a href=\"/simple/frob/\">frob</a>\n<a href=\"/simple/zope-interface/\"> Zope.Interface </a>"
                + "<a href=\"/simple/x/\"></a></body></html>");

        assertThat(list.projects()).containsExactly("frob", "Zope.Interface");
        assertThat(list.apiVersion()).isEqualTo(ApiVersion.V1_1);
    }

    @Test
    void relativePageUrlIsAProgrammingError() {
        assertThatThrownBy(() -> HtmlIndexParser.parseProject("", URI.create("/simple/foo/"), "foo"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
