package dev.signet.index;

import static dev.signet.index.Samples.PAGE;
import static dev.signet.index.Samples.SHA256_A;
import static dev.signet.index.Samples.SHA256_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds rendered pages to the real pip's link parser ({@code pip._internal.index.collector.parse_links}) and
 * checks that pip reads every field the way Signet meant it. Skipped only where python3 has no pip.
 */
class PipInteropTest {

    private static final String SIGNET_PAGE = "http://signet.local:8080/simple/foo/";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Prints one JSON object per link as pip understood it. */
    private static final String PIP_READER = """
            import json, sys
            from pip._internal.index.collector import IndexContent, parse_links
            path, content_type, url = sys.argv[1:4]
            with open(path, "rb") as f:
                page = IndexContent(f.read(), content_type, "utf-8", url)
            out = []
            for link in parse_links(page):
                meta = link.metadata_file_data
                out.append({
                    "filename": link.filename,
                    "url": link.url_without_fragment,
                    "hashes": dict(link._hashes),
                    "requires_python": link.requires_python,
                    "yanked_reason": link.yanked_reason,
                    "metadata": None if meta is None else (meta.hashes or {}),
                })
            print(json.dumps(out))
            """;

    @TempDir
    static Path dir;

    @BeforeAll
    static void requirePip() throws Exception {
        assumeTrue(run("-c", "import pip._internal.index.collector") != null, "python3 with pip is not installed");
    }

    @Test
    void pipReadsTheRenderedHtml() throws Exception {
        ProjectPage page = upstreamPage();
        Path html = dir.resolve("page.html");
        Files.writeString(html, HtmlIndexRenderer.renderProject(page, PipInteropTest::signetPath));

        assertPipSeesTheSameFiles(html, "text/html");
    }

    @Test
    void pipReadsTheRenderedJson() throws Exception {
        ProjectPage page = upstreamPage();
        Path json = dir.resolve("page.json");
        Files.write(json, JsonIndexRenderer.renderProject(page, PipInteropTest::signetPath));

        assertPipSeesTheSameFiles(json, "application/vnd.pypi.simple.v1+json");
    }

    private static ProjectPage upstreamPage() throws IndexFormatException {
        return HtmlIndexParser.parseProject(RoundTripTest.UPSTREAM_HTML, PAGE, "foo");
    }

    private static String signetPath(DistributionFile file) {
        return "/packages/foo/" + Hrefs.escapeIllegal(file.filename()).replace("+", "%2B");
    }

    private void assertPipSeesTheSameFiles(Path page, String contentType) throws Exception {
        Path script = dir.resolve("read_links.py");
        Files.writeString(script, PIP_READER);
        String output = run(script.toString(), page.toString(), contentType, SIGNET_PAGE);
        assertThat(output).as("pip reader output").isNotNull();
        JsonNode links = JSON.readTree(output);

        assertThat(links).hasSize(5);
        JsonNode sdist = links.get(0);
        assertThat(sdist.get("filename").asText()).isEqualTo("foo-1.0.tar.gz");
        assertThat(sdist.get("url").asText()).isEqualTo("http://signet.local:8080/packages/foo/foo-1.0.tar.gz");
        assertThat(sdist.get("hashes").get("sha256").asText()).isEqualTo(SHA256_A);
        assertThat(sdist.get("requires_python").asText()).isEqualTo("<4,>=3.8");
        assertThat(sdist.get("yanked_reason").isNull()).isTrue();
        assertThat(sdist.get("metadata").isNull()).isTrue();

        JsonNode wheel = links.get(1);
        assertThat(wheel.get("hashes").get("sha256").asText()).isEqualTo(SHA256_B);
        assertThat(wheel.get("metadata").get("sha256").asText()).isEqualTo(SHA256_A);

        assertThat(links.get(2).get("yanked_reason").asText()).isEmpty();
        assertThat(links.get(2).get("hashes").get("md5").asText()).isEqualTo(Samples.MD5_A);

        JsonNode local = links.get(3);
        assertThat(local.get("filename").asText()).isEqualTo("foo-0.8+local.tar.gz");
        assertThat(local.get("yanked_reason").asText()).isEqualTo("bad \"release\" <see #12>");

        JsonNode unicode = links.get(4);
        assertThat(unicode.get("filename").asText()).isEqualTo("foo bar-0.7-\u00e9.zip");
        assertThat(unicode.get("metadata").isObject() && unicode.get("metadata").isEmpty()).isTrue();
    }

    /** Runs python3 with the arguments; returns stdout, or null when it did not exit 0 within a minute. */
    private static String run(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "python3";
        System.arraycopy(args, 0, command, 1, args.length);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            return null;
        }
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return null;
        }
        return process.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
    }
}
