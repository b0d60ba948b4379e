package dev.signet.index;

import static dev.signet.index.Samples.MD5_A;
import static dev.signet.index.Samples.PAGE;
import static dev.signet.index.Samples.SHA256_A;
import static dev.signet.index.Samples.SHA256_B;
import static dev.signet.index.Samples.SHA512_A;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parse, render, parse again: nothing the target format can carry may change on the way. */
class RoundTripTest {

    /** An upstream HTML page with every attribute and the awkward cases seen on real indexes. */
    static final String UPSTREAM_HTML = """
            <!DOCTYPE html>
            <html>
              <head>
                <meta name="pypi:repository-version" content="1.1">
                <title>Links for foo</title>
              </head>
              <body>
                <h1>Links for foo</h1>
                <a href="../../packages/ab/foo-1.0.tar.gz#sha256=%1$s" data-requires-python="&lt;4,&gt;=3.8">foo-1.0.tar.gz</a><br/>
                <a href="https://files.example/packages/foo-1.0-py3-none-any.whl#sha256=%2$s" data-requires-python="&gt;=3.8"
                   data-core-metadata="sha256=%1$s" data-dist-info-metadata="sha256=%1$s"
                   data-provenance="https://pypi.example/integrity/foo/1.0/foo-1.0-py3-none-any.whl/provenance">foo-1.0-py3-none-any.whl</a><br/>
                <a href="/packages/foo-0.9.tar.gz#md5=%3$s" data-yanked="">foo-0.9.tar.gz</a><br/>
                <a href="http://other.example:8080/foo-0.8%%2Blocal.tar.gz#sha512=%4$s" data-yanked="bad &quot;release&quot; &lt;see #12&gt;">x</a>
                <a href="foo%%20bar-0.7-\u00e9.zip" data-dist-info-metadata="true">foo bar-0.7-\u00e9.zip</a>
                <a>no href</a>
              </body>
            </html>
            """.formatted(SHA256_A, SHA256_B, MD5_A, SHA512_A);

    /** An upstream JSON page with every PEP 691/700/714/740 key. */
    static final String UPSTREAM_JSON = ("""
            {"meta": {"api-version": "1.1", "_last-serial": 7},
             "name": "foo",
             "files": [
               {"filename": "foo-1.0.tar.gz", "url": "../../packages/foo-1.0.tar.gz",
                "hashes": {"sha256": "%1$s"}, "requires-python": "<4,>=3.8", "yanked": false,
                "core-metadata": false, "size": 1000, "upload-time": "2024-01-02T03:04:05.123456Z"},
               {"filename": "foo-1.0-py3-none-any.whl", "url": "https://files.example/foo-1.0-py3-none-any.whl",
                "hashes": {"sha256": "%2$s"}, "requires-python": ">=3.8", "yanked": "bad \\"release\\"",
                "core-metadata": {"sha256": "%1$s"}, "size": 2000, "upload-time": "2024-01-02T03:04:06Z",
                "provenance": "https://pypi.example/integrity/foo/1.0/foo-1.0-py3-none-any.whl/provenance"},
               {"filename": "foo-0.9+cpu.tar.gz", "url": "https://files.example/foo-0.9%%2Bcpu.tar.gz",
                "hashes": {"sha256": "%1$s"}, "yanked": true, "dist-info-metadata": true, "size": 0}
             ],
             "versions": ["0.9", "1.0", "1.1"]}
            """).formatted(SHA256_A, SHA256_B);

    @Test
    void htmlToModelToHtml() throws Exception {
        ProjectPage first = HtmlIndexParser.parseProject(UPSTREAM_HTML, PAGE, "foo");

        ProjectPage again = HtmlIndexParser.parseProject(HtmlIndexRenderer.renderProject(first, Samples::upstream),
                PAGE, "foo");

        assertThat(first.files()).hasSize(5);
        assertThat(again.files()).isEqualTo(first.files());
        assertThat(first.files().get(3)).isEqualTo(new DistributionFile("foo-0.8+local.tar.gz",
                URI.create("http://other.example:8080/foo-0.8%2Blocal.tar.gz"), Map.of("sha512", SHA512_A), null,
                new Yank("bad \"release\" <see #12>"), null, null, null, null));
    }

    @Test
    void htmlToJsonToHtml() throws Exception {
        ProjectPage first = HtmlIndexParser.parseProject(UPSTREAM_HTML, PAGE, "foo");

        ProjectPage viaJson = JsonIndexParser.parseProject(JsonIndexRenderer.renderProject(first, Samples::upstream),
                URI.create("https://elsewhere.example/"));
        ProjectPage again = HtmlIndexParser.parseProject(HtmlIndexRenderer.renderProject(viaJson, Samples::upstream),
                PAGE, "foo");

        assertThat(viaJson.files()).isEqualTo(first.files());
        assertThat(again.files()).isEqualTo(first.files());
    }

    @Test
    void jsonToModelToJsonKeepsEverything() throws Exception {
        ProjectPage first = JsonIndexParser.parseProject(UPSTREAM_JSON.getBytes(StandardCharsets.UTF_8), PAGE);

        ProjectPage again = JsonIndexParser.parseProject(JsonIndexRenderer.renderProject(first, Samples::upstream), PAGE);

        assertThat(again).isEqualTo(first);
        assertThat(again.apiVersion()).isEqualTo(ApiVersion.V1_1);
        assertThat(first.files()).extracting(DistributionFile::size).containsExactly(1000L, 2000L, 0L);
        assertThat(first.files().get(2).filename()).isEqualTo("foo-0.9+cpu.tar.gz");
    }

    /**
     * PEP 700's size, upload-time and versions exist only in JSON, so a trip through HTML drops exactly those
     * and the page falls back to api-version 1.0; every other field survives.
     */
    @Test
    void jsonToHtmlToJsonKeepsEverythingHtmlCanCarry() throws Exception {
        ProjectPage first = JsonIndexParser.parseProject(UPSTREAM_JSON.getBytes(StandardCharsets.UTF_8), PAGE);

        ProjectPage viaHtml = HtmlIndexParser.parseProject(HtmlIndexRenderer.renderProject(first, Samples::upstream),
                PAGE, "foo");
        byte[] json = JsonIndexRenderer.renderProject(viaHtml, Samples::upstream);
        ProjectPage again = JsonIndexParser.parseProject(json, PAGE);

        List<DistributionFile> withoutPep700 = first.files().stream()
                .map(f -> new DistributionFile(f.filename(), f.url(), f.hashes(), f.requiresPython(), f.yanked(),
                        f.coreMetadata(), null, null, f.provenance()))
                .toList();
        assertThat(again.files()).isEqualTo(withoutPep700);
        assertThat(again.apiVersion()).isEqualTo(ApiVersion.V1_0);
        assertThat(again.versions()).isEmpty();
    }

    @Test
    void rewrittenRelativeHrefsResolveAgainstSignet() throws Exception {
        ProjectPage upstream = HtmlIndexParser.parseProject(UPSTREAM_HTML, PAGE, "foo");
        URI signetPage = URI.create("http://signet.local:8080/simple/foo/");
        FileUrlMapper signetPaths = f -> "/packages/foo/" + Hrefs.escapeIllegal(f.filename()).replace("+", "%2B");

        ProjectPage fromHtml = HtmlIndexParser.parseProject(HtmlIndexRenderer.renderProject(upstream, signetPaths),
                signetPage, "foo");
        ProjectPage fromJson = JsonIndexParser.parseProject(JsonIndexRenderer.renderProject(upstream, signetPaths),
                signetPage);

        for (ProjectPage rewritten : List.of(fromHtml, fromJson)) {
            assertThat(rewritten.files()).extracting(DistributionFile::filename)
                    .containsExactlyElementsOf(upstream.files().stream().map(DistributionFile::filename).toList());
            assertThat(rewritten.files()).allSatisfy(f -> assertThat(f.url().getAuthority()).isEqualTo("signet.local:8080"));
            assertThat(rewritten.files()).extracting(DistributionFile::hashes)
                    .containsExactlyElementsOf(upstream.files().stream().map(DistributionFile::hashes).toList());
        }
        assertThat(fromHtml.file("foo-0.8+local.tar.gz").orElseThrow().url())
                .isEqualTo(URI.create("http://signet.local:8080/packages/foo/foo-0.8%2Blocal.tar.gz"));
    }

    /** Installers read one hash from a link, so HTML carries the preferred one; JSON carries them all. */
    @Test
    void htmlCarriesOnlyThePreferredHashOfSeveral() throws Exception {
        ProjectPage first = HtmlIndexParser.parseProject("<a href=\"foo-1.0.tar.gz#md5=" + MD5_A + "&sha256=" + SHA256_A
                + "\">x</a>", PAGE, "foo");

        ProjectPage viaHtml = HtmlIndexParser.parseProject(HtmlIndexRenderer.renderProject(first, Samples::upstream),
                PAGE, "foo");
        ProjectPage viaJson = JsonIndexParser.parseProject(JsonIndexRenderer.renderProject(first, Samples::upstream),
                PAGE);

        assertThat(first.files().get(0).hashes()).containsOnlyKeys("md5", "sha256");
        assertThat(viaHtml.files().get(0).hashes()).containsExactly(Map.entry("sha256", SHA256_A));
        assertThat(viaJson.files()).isEqualTo(first.files());
    }
}
