package dev.signet.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.signet.server.cli.InProcessCli.Run;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check-config --probe} against a real loopback HTTP server that plays a simple index (HTML and JSON), a file
 * server's directory listing (the wrong URL a new user most often gives) and a path that is not there.
 */
class CheckConfigProbeTest {

    private static final String KEY = "RWQ+X6dxE7tp8w/q43PRxbnBVkeGpCvxMElQICPTklbMCIkbkRjtY4ZH";
    private static final String SHA = "a".repeat(64);

    @TempDir
    Path dir;
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        page("/simple/", "text/html", "<html><body><a href=\"six/\">six</a></body></html>");
        page("/simple/six/", "text/html", "<html><body><a href=\"../../packages/six-1.0-py3-none-any.whl#sha256=" + SHA
                + "\">six-1.0-py3-none-any.whl</a></body></html>");
        page("/json/simple/", "application/vnd.pypi.simple.v1+json",
                "{\"meta\": {\"api-version\": \"1.1\"}, \"projects\": [{\"name\": \"six\"}]}");
        // A file server's root: anchors, but to folders, and the "project" page lists no files of that project.
        page("/files/", "text/html", "<html><body><a href=\"packages/\">packages/</a> <a href=\"simple/\">simple/</a>"
                + "</body></html>");
        page("/files/packages/", "text/html", "<html><body><a href=\"six-1.0-py3-none-any.whl\">six-1.0-py3-none-any.whl"
                + "</a></body></html>");
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void page(String path, String type, String body) {
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            int status = exchange.getRequestURI().getPath().equals(path) ? 200 : 404;
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, status == 200 ? bytes.length : -1);
            if (status == 200) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
    }

    private Run probe(String upstreamPath) {
        return InProcessCli.signet("check-config", "--probe", "--upstream", base + upstreamPath, "--trusted-key", KEY,
                "--cache-dir", dir.resolve("cache").toString());
    }

    @Test
    void anHtmlSimpleIndexPassesAndSaysWhatItFound() {
        Run run = probe("/simple/");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("# probe: upstream primary (" + base + "/simple/): a simple index (HTML, api-version 1.0,"
                + " 1 projects; 'six' lists 1 files)");
    }

    @Test
    void aJsonSimpleIndexPasses() {
        Run run = probe("/json/simple/");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("a simple index (JSON, api-version 1.1, 1 projects)");
    }

    @Test
    void aFileServersDirectoryListingIsDiagnosed() {
        Run run = probe("/files/");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("signet: an upstream does not answer like a simple index:\n")
                .contains("upstream primary (" + base + "/files/): lists 'packages/', but " + base + "/files/packages/")
                .contains("this looks like a directory listing, not a simple index");
    }

    @Test
    void aUrlThatIsNotThereIsDiagnosed() {
        Run run = probe("/nothing/simple/");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("upstream primary (" + base + "/nothing/simple/): answered 404 for the simple-API root");
    }

    @Test
    void anUpstreamThatDoesNotListenIsDiagnosed() throws IOException {
        int port;
        try (java.net.ServerSocket unused = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = unused.getLocalPort();
        }
        Run run = InProcessCli.signet("check-config", "--probe", "--upstream", "http://127.0.0.1:" + port + "/simple/",
                "--trusted-key", KEY, "--cache-dir", dir.resolve("cache").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("upstream primary (http://127.0.0.1:" + port + "/simple/): no usable answer:");
    }

    @Test
    void theCompletionScriptCoversTheSubcommands() {
        Run run = InProcessCli.signet("generate-completion");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("complete -F").contains("check-config").contains("publish").contains("--probe");
    }
}
