package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.StaticIndex;
import dev.signet.server.demo.StaticIndexServer;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Http;
import dev.signet.server.testing.SignetProcess;
import dev.signet.sig.MinisignKeyPair;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a real Signet process while a large transfer is in flight: readiness flips to 503 at once, new
 * connections are refused after the drain delay, the transfer completes byte for byte, and the exit code is 0.
 */
class DrainIT {

    @Test
    void sigtermDrainsAndTheTransferInFlightCompletes(@TempDir Path dir) throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        WheelBuilder big = WheelBuilder.wheel("bigwheel", "1.0.0").padding(64L << 20, 11);
        String file = big.fileName();
        StaticIndex index = StaticIndex.build(dir.resolve("index"), List.of(big), new MinisignArtifactSigner(key.secretKey()), false);
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(index.root().resolve("packages").resolve(file)));
        long length = Files.size(index.root().resolve("packages").resolve(file));

        try (StaticIndexServer upstream = StaticIndexServer.start(index.root(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SignetProcess signet = SignetProcess.start(List.of("-Xmx128m"),
                     List.of("serve", "--upstream", upstream.simpleUri().toString(),
                             "--trusted-key", key.publicKey().encoded(),
                             "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
                             "--cache-dir", dir.resolve("cache").toString(),
                             "--set", "shutdown.drain-delay=1s", "--set", "shutdown.drain-timeout=2m"))) {
            String artifact = "http://127.0.0.1:" + signet.port() + "/packages/bigwheel/" + file;
            String readyz = "http://127.0.0.1:" + signet.adminPort() + "/readyz";
            assertThat(Http.get(artifact).statusCode()).as("fill it first").isEqualTo(200);
            assertThat(Http.get(readyz).statusCode()).isEqualTo(200);

            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<InputStream> inFlight = client.send(HttpRequest.newBuilder(URI.create(artifact)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(inFlight.statusCode()).isEqualTo(200);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long received = 0;
            try (InputStream body = inFlight.body()) {
                byte[] buffer = new byte[64 * 1024];
                received += readInto(body, buffer, sha);

                signet.terminate();
                signet.line("draining: /readyz now answers 503").get(30, TimeUnit.SECONDS);
                assertThat(Http.get(readyz).statusCode()).as("readiness flips at once").isEqualTo(503);
                signet.line("draining: listeners closed").get(30, TimeUnit.SECONDS);
                assertThatThrownBy(() -> new Socket("127.0.0.1", signet.port()).close())
                        .as("new connections are refused after the drain delay").isInstanceOf(ConnectException.class);

                int n;
                while ((n = body.read(buffer)) > 0) {
                    sha.update(buffer, 0, n);
                    received += n;
                }
            }
            assertThat(received).isEqualTo(length);
            assertThat(sha.digest()).as("the transfer in flight finished intact").isEqualTo(expected);
            assertThat(signet.awaitExit(60)).isZero();
            assertThat(signet.output()).anyMatch(l -> l.contains("draining: every transfer finished"));
            // The access log is written in batches by its own thread; exiting writes what is still queued, so the
            // line of the transfer that finished during the drain is there.
            assertThat(signet.output()).as("access-log lines").filteredOn(l -> l.contains(" signet.access - "))
                    .anyMatch(l -> l.contains(" GET /packages/bigwheel/" + file + " 200 " + length + " ")
                            && l.contains(" cache=hit verify=ok id="));
        }
    }

    private static int readInto(InputStream in, byte[] buffer, MessageDigest sha) throws Exception {
        int n = in.read(buffer);
        assertThat(n).isPositive();
        sha.update(buffer, 0, n);
        return n;
    }
}
