package dev.signet.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HealthCommandTest {

    private HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final CountDownLatch releaseSlowAnswer = new CountDownLatch(1);
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void stop() {
        releaseSlowAnswer.countDown();
        if (server != null) {
            server.stop(0);
        }
        handlers.shutdownNow();
    }

    @Test
    void exitsZeroWhenTheEndpointAnswers2xx() throws IOException {
        startServer();

        assertThat(run("health", "--url", url("/simple/"))).isZero();
        assertThat(out.toString()).isEqualTo("healthy: " + url("/simple/") + " answered 200\n");
        assertThat(run("health", "--url", url("/no-content"))).isZero();
    }

    @Test
    void exitsOneWithTheStatusWhenTheEndpointAnswersOtherwise() throws IOException {
        startServer();

        assertThat(run("health", "--url", url("/not-ready"))).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("unhealthy: " + url("/not-ready") + " answered 503\n");
        // A redirect is not health: the probe must hit the endpoint it was given.
        assertThat(run("health", "--url", url("/moved"))).isEqualTo(1);
    }

    @Test
    void exitsOneWhenNothingListens() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String target = "http://127.0.0.1:" + port + "/readyz";

        assertThat(run("health", "--url", target)).isEqualTo(1);
        assertThat(err.toString())
                .isEqualTo("unhealthy: " + target + " refused or unreachable: nothing accepts connections there\n");
    }

    @Test
    void exitsOneWithinTheTimeoutWhenTheEndpointHangs() throws IOException {
        startServer();
        long start = System.nanoTime();

        assertThat(run("health", "--url", url("/hang"))).isEqualTo(1);

        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
        assertThat(err.toString()).isEqualTo("unhealthy: " + url("/hang") + " did not answer within 3 s\n");
    }

    @Test
    void refusesAMalformedUrlWithExitOneNotDockersReservedTwo() {
        assertThat(run("health", "--url", "ftp://127.0.0.1/readyz")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("unhealthy: invalid health URL 'ftp://127.0.0.1/readyz': scheme must be http or https\n");
    }

    @Test
    void urlComesFromTheOptionThenTheEnvironmentThenTheAdminDefault() {
        Map<String, String> env = Map.of(HealthCommand.URL_ENV, "http://127.0.0.1:8080/simple/");

        assertThat(HealthCommand.target("http://127.0.0.1:1/x", env)).isEqualTo(URI.create("http://127.0.0.1:1/x"));
        assertThat(HealthCommand.target(null, env)).isEqualTo(URI.create("http://127.0.0.1:8080/simple/"));
        assertThat(HealthCommand.target(null, Map.of(HealthCommand.URL_ENV, " ")))
                .isEqualTo(URI.create("http://127.0.0.1:9901/readyz"));
        assertThat(HealthCommand.target(null, Map.of())).isEqualTo(URI.create("http://127.0.0.1:9901/readyz"));
    }

    @Test
    void targetRefusesUrlsWithoutHostOrWithBadSyntax() {
        assertThatThrownBy(() -> HealthCommand.target("http:///readyz", Map.of()))
                .hasMessage("invalid health URL 'http:///readyz': no host");
        assertThatThrownBy(() -> HealthCommand.target("http://127.0.0.1:9901/a b", Map.of()))
                .hasMessageStartingWith("invalid health URL 'http://127.0.0.1:9901/a b': ");
        assertThatThrownBy(() -> HealthCommand.target("readyz", Map.of()))
                .hasMessage("invalid health URL 'readyz': scheme must be http or https");
    }

    private int run(String... args) {
        CommandLine cli = SignetCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/simple/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/no-content", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/not-ready", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "/simple/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/hang", exchange -> {
            try {
                releaseSlowAnswer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.setExecutor(handlers);
        server.start();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }
}
