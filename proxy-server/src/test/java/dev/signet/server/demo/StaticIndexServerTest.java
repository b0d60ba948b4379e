package dev.signet.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticIndexServerTest {
    private static final String WHEEL_PATH = "/packages/demo-1.0-py3-none-any.whl";
    private static final String PAGE =
            "<html><body><a href=\"../../packages/demo-1.0-py3-none-any.whl\">x</a></body></html>\n";

    @TempDir
    Path dir;
    Path root;
    byte[] wheelBytes;
    StaticIndexServer server;
    HttpClient client;

    @BeforeEach
    void startServer() throws IOException {
        root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("simple/demo"));
        Files.writeString(root.resolve("simple/demo/index.html"), PAGE);
        Files.createDirectories(root.resolve("packages"));
        wheelBytes = new byte[300_000];
        new SplittableRandom(1).nextBytes(wheelBytes);
        Files.write(root.resolve("packages/demo-1.0-py3-none-any.whl"), wheelBytes);
        Files.write(root.resolve("packages/empty.bin"), new byte[0]);
        Files.writeString(dir.resolve("secret.txt"), "outside the root");
        server = StaticIndexServer.start(root, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void urisPointAtTheBoundLoopbackPort() {
        assertThat(server.baseUri().toString()).matches("http://127\\.0\\.0\\.1:[1-9][0-9]*/");
        assertThat(server.simpleUri()).isEqualTo(server.baseUri().resolve("/simple/"));
    }

    @Test
    void servesFilesWithLengthAndOctetStreamType() throws Exception {
        HttpResponse<byte[]> response = get(WHEEL_PATH);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(wheelBytes);
        assertThat(response.headers().firstValue("Content-Length")).hasValue("300000");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    }

    @Test
    void servesEmptyFilesWithZeroLength() throws Exception {
        RawHttp.Response response = RawHttp.exchange(server.baseUri(), "GET", "/packages/empty.bin");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentLength()).isZero();
        assertThat(response.body()).isEmpty();
    }

    @Test
    void directoryUrlServesItsIndexAsHtml() throws Exception {
        HttpResponse<byte[]> response = get("/simple/demo/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(PAGE);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    }

    @Test
    void directoryWithoutSlashRedirectsPermanently() throws Exception {
        HttpResponse<byte[]> response = get("/simple/demo");

        assertThat(response.statusCode()).isEqualTo(301);
        assertThat(response.headers().firstValue("Location")).hasValue("/simple/demo/");
    }

    @Test
    void headReportsTheLengthWithoutABody() throws Exception {
        RawHttp.Response response = RawHttp.exchange(server.baseUri(), "HEAD", WHEEL_PATH);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentLength()).isEqualTo(wheelBytes.length);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void missingFilesAre404AndOtherMethods405() throws Exception {
        assertThat(get("/packages/absent.whl").statusCode()).isEqualTo(404);
        assertThat(get("/simple/absent/").statusCode()).isEqualTo(404);
        assertThat(get(WHEEL_PATH + "/").statusCode()).isEqualTo(404);

        HttpResponse<byte[]> post = client.send(HttpRequest.newBuilder(server.baseUri().resolve(WHEEL_PATH))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void pathTraversalIsRefused() throws Exception {
        for (String target : new String[] {"/../secret.txt", "/packages/../../secret.txt",
                "/simple/%2e%2e/%2e%2e/secret.txt", "/packages/..%2F..%2Fsecret.txt", "/packages//x",
                "/packages\\..\\..\\secret.txt"}) {
            RawHttp.Response response = RawHttp.exchange(server.baseUri(), "GET", target);
            assertThat(response.status()).as(target).isEqualTo(400);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).as(target)
                    .doesNotContain("outside the root");
        }
    }

    @Test
    void symlinkLeavingTheRootIsNotServed() throws Exception {
        Files.createSymbolicLink(root.resolve("packages/escape.whl"), dir.resolve("secret.txt"));

        assertThat(get("/packages/escape.whl").statusCode()).isEqualTo(404);
    }

    @Test
    void countsRequestsPerPathUntilReset() throws Exception {
        get(WHEEL_PATH);
        get(WHEEL_PATH);
        get("/simple/demo/");
        get("/packages/absent.whl");

        assertThat(server.requestCount(WHEEL_PATH)).isEqualTo(2);
        assertThat(server.requestCount("/simple/demo/")).isEqualTo(1);
        assertThat(server.requestCount("/packages/absent.whl")).isEqualTo(1);
        assertThat(server.requestCount("/never/asked")).isZero();
        server.resetCounts();
        assertThat(server.requestCount(WHEEL_PATH)).isZero();
    }

    @Test
    void statusOverrideReplacesTheAnswerUntilCleared() throws Exception {
        server.override(WHEEL_PATH, Fault.status(503));

        assertThat(get(WHEEL_PATH).statusCode()).isEqualTo(503);
        server.clearOverrides();
        assertThat(get(WHEEL_PATH).statusCode()).isEqualTo(200);
        assertThat(server.requestCount(WHEEL_PATH)).isEqualTo(2);
    }

    @Test
    void bodyOverrideServesTheReplacementWithItsOwnLength() throws Exception {
        byte[] tampered = "tampered".getBytes(StandardCharsets.US_ASCII);
        server.override(WHEEL_PATH, Fault.body(tampered));

        HttpResponse<byte[]> response = get(WHEEL_PATH);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(tampered);
        assertThat(response.headers().firstValue("Content-Length")).hasValue("8");
    }

    @Test
    void truncateAdvertisesFullLengthSendsPrefixThenCloses() throws Exception {
        server.override(WHEEL_PATH, Fault.truncate(1000));

        RawHttp.Response response = RawHttp.exchange(server.baseUri(), "GET", WHEEL_PATH);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentLength()).isEqualTo(wheelBytes.length);
        assertThat(response.body()).hasSize(1000);
        assertThat(response.body()).isEqualTo(Arrays.copyOf(wheelBytes, 1000));
    }

    @Test
    void truncatedBodyFailsAStandardClient() {
        server.override(WHEEL_PATH, Fault.truncate(64 * 1024 + 1));

        assertThatThrownBy(() -> get(WHEEL_PATH)).isInstanceOf(IOException.class);
    }

    @Test
    void delayHoldsTheResponseThenServesTheFile() throws Exception {
        Duration delay = Duration.ofMillis(300);
        server.override(WHEEL_PATH, Fault.delay(delay));

        long start = System.nanoTime();
        HttpResponse<byte[]> response = get(WHEEL_PATH);
        long elapsed = System.nanoTime() - start;

        assertThat(response.body()).isEqualTo(wheelBytes);
        assertThat(elapsed).isGreaterThanOrEqualTo(delay.toNanos());
    }

    @Test
    void hangNeverAnswersAndCloseReleasesItPromptly() throws Exception {
        server.override(WHEEL_PATH, Fault.hang());

        HttpRequest timed = HttpRequest.newBuilder(server.baseUri().resolve(WHEEL_PATH))
                .timeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> client.send(timed, HttpResponse.BodyHandlers.ofByteArray()))
                .isInstanceOf(HttpTimeoutException.class);
        CompletableFuture<HttpResponse<byte[]>> pending = client.sendAsync(
                HttpRequest.newBuilder(server.baseUri().resolve(WHEEL_PATH)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        awaitCount(WHEEL_PATH, 2);

        long start = System.nanoTime();
        server.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void refusesMalformedFaultsAndOverrides() {
        assertThatThrownBy(() -> Fault.status(99)).hasMessage("injected status must be 200..599: 99");
        assertThatThrownBy(() -> Fault.truncate(-1)).hasMessage("truncate length must not be negative: -1");
        assertThatThrownBy(() -> Fault.delay(Duration.ofMillis(-1)))
                .hasMessage("delay must not be negative: PT-0.001S");
        assertThatThrownBy(() -> server.override("packages/x", Fault.hang()))
                .hasMessage("override path must start with '/': 'packages/x'");
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(server.baseUri().resolve(path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Polls with a deadline until the server has received the request, because the client cannot tell us. */
    private void awaitCount(String path, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.requestCount(path) < expected) {
            assertThat(System.nanoTime()).as("request for " + path + " never arrived").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
