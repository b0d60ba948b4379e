package dev.signet.index;

import static dev.signet.index.Samples.MD5_A;
import static dev.signet.index.Samples.PAGE;
import static dev.signet.index.Samples.SHA256_A;
import static dev.signet.index.Samples.SHA256_B;
import static dev.signet.index.Samples.SHA512_A;
import static dev.signet.index.Samples.hashes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HtmlIndexRendererTest {

    private static final FileUrlMapper SIGNET_PATH = f -> "/packages/foo/" + f.filename();

    private static DistributionFile file(String name, Map<String, String> hashes, String requiresPython, Yank yank,
            CoreMetadata metadata, Long size) {
        return new DistributionFile(name, URI.create("https://files.example/" + name), hashes, requiresPython, yank,
                metadata, size, null, null);
    }

    @Test
    void writesOneAnchorPerFileWithEveryAttribute() {
        DistributionFile file = new DistributionFile("foo-1.0-py3-none-any.whl",
                URI.create("https://files.example/foo-1.0-py3-none-any.whl"), hashes("sha256", SHA256_A),
                ">=3.8", new Yank(""), new CoreMetadata(hashes("sha256", SHA256_B)), 10L, null,
                "https://prov.example/p");
        ProjectPage page = new ProjectPage("foo", List.of(file), List.of("1.0"), ApiVersion.V1_0);

        String html = HtmlIndexRenderer.renderProject(page, SIGNET_PATH);

        assertThat(html).isEqualTo("""
                <!DOCTYPE html>
                <html>
                  <head>
                    <meta name="pypi:repository-version" content="1.1">
                    <title>Links for foo</title>
                  </head>
                  <body>
                    <h1>Links for foo</h1>
                    <a href="/packages/foo/foo-1.0-py3-none-any.whl#sha256=%s" data-requires-python="&gt;=3.8" \
                data-yanked="" data-core-metadata="sha256=%s" data-dist-info-metadata="sha256=%s" \
                data-provenance="https://prov.example/p">foo-1.0-py3-none-any.whl</a><br>
                  </body>
                </html>
                """.formatted(SHA256_A, SHA256_B, SHA256_B));
    }

    @Test
    void metadataWithoutHashIsTrueAndAbsentMetadataIsNoAttribute() {
        ProjectPage page = new ProjectPage("foo", List.of(
                file("a-1.whl", Map.of(), null, null, CoreMetadata.withoutHashes(), null),
                file("b-1.whl", Map.of(), null, null, null, null)), List.of(), ApiVersion.V1_0);

        String html = HtmlIndexRenderer.renderProject(page, SIGNET_PATH);

        assertThat(html).contains("<a href=\"/packages/foo/a-1.whl\" data-core-metadata=\"true\" "
                + "data-dist-info-metadata=\"true\">a-1.whl</a>");
        assertThat(html).contains("<a href=\"/packages/foo/b-1.whl\">b-1.whl</a>");
    }

    @Test
    void carriesOneHashInTheFragmentPreferringSha256() {
        ProjectPage page = new ProjectPage("foo", List.of(
                file("a-1.whl", hashes("md5", MD5_A, "sha256", SHA256_A), null, null, null, null),
                file("b-1.whl", hashes("md5", MD5_A, "sha512", SHA512_A), null, null, null, null),
                file("c-1.whl", hashes("md5", MD5_A), null, null, null, null)), List.of(), ApiVersion.V1_0);

        String html = HtmlIndexRenderer.renderProject(page, SIGNET_PATH);

        assertThat(html).contains("href=\"/packages/foo/a-1.whl#sha256=" + SHA256_A + "\"",
                "href=\"/packages/foo/b-1.whl#sha512=" + SHA512_A + "\"",
                "href=\"/packages/foo/c-1.whl#md5=" + MD5_A + "\"");
    }

    @Test
    void escapesEverythingItWrites() throws Exception {
        DistributionFile file = file("foo-1.0.tar.gz", Map.of(), "<4,>=3.8", new Yank("say \"no\" & <stop> 'now'"),
                null, null);
        ProjectPage page = new ProjectPage("<b>foo</b>", List.of(file), List.of(), ApiVersion.V1_0);

        String html = HtmlIndexRenderer.renderProject(page, f -> "/p?a=1&b=\"2\"/" + f.filename());

        assertThat(html).contains("data-requires-python=\"&lt;4,&gt;=3.8\"",
                "data-yanked=\"say &quot;no&quot; &amp; &lt;stop&gt; &#39;now&#39;\"",
                "href=\"/p?a=1&amp;b=&quot;2&quot;/foo-1.0.tar.gz\"",
                "<title>Links for &lt;b&gt;foo&lt;/b&gt;</title>");
        DistributionFile back = HtmlIndexParser.parseProject(html, PAGE, "foo").files().get(0);
        assertThat(back.requiresPython()).isEqualTo("<4,>=3.8");
        assertThat(back.yanked()).isEqualTo(new Yank("say \"no\" & <stop> 'now'"));
    }

    @Test
    void reports11OnlyWhenVersionsAndEverySizeArePresent() {
        DistributionFile sized = file("a-1.whl", Map.of(), null, null, null, 5L);
        DistributionFile unsized = file("b-1.whl", Map.of(), null, null, null, null);

        assertThat(HtmlIndexRenderer.renderProject(new ProjectPage("foo", List.of(sized), List.of("1"), ApiVersion.V1_0),
                SIGNET_PATH)).contains("content=\"1.1\"");
        assertThat(HtmlIndexRenderer.renderProject(new ProjectPage("foo", List.of(sized, unsized), List.of("1"),
                ApiVersion.V1_1), SIGNET_PATH)).contains("content=\"1.0\"");
        assertThat(HtmlIndexRenderer.renderProject(new ProjectPage("foo", List.of(sized), List.of(), ApiVersion.V1_1),
                SIGNET_PATH)).contains("content=\"1.0\"");
    }

    @Test
    void refusesAMapperThatAddsAFragment() {
        ProjectPage page = new ProjectPage("foo", List.of(file("a-1.whl", Map.of(), null, null, null, null)), List.of(),
                ApiVersion.V1_0);

        assertThatThrownBy(() -> HtmlIndexRenderer.renderProject(page, f -> "/x#y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mapper returned an href with a fragment for a-1.whl: /x#y");
    }

    @Test
    void writesTheRootWithCallerHrefs() throws Exception {
        ProjectList list = new ProjectList(List.of("Frob", "a&b"), new ApiVersion(1, 3));

        String html = HtmlIndexRenderer.renderRoot(list, name -> "/simple/" + ProjectName.normalize(name) + "/");

        assertThat(html).contains("<meta name=\"pypi:repository-version\" content=\"1.1\">",
                "<a href=\"/simple/frob/\">Frob</a>", "<a href=\"/simple/a&amp;b/\">a&amp;b</a>");
        assertThat(HtmlIndexParser.parseRoot(html))
                .isEqualTo(new ProjectList(List.of("Frob", "a&b"), ApiVersion.V1_1));
    }
}
