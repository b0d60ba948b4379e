package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.StaticIndex;
import dev.signet.server.demo.StaticIndexServer;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.SignetProcess;
import dev.signet.sig.MinisignKeyPair;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded memory: a 1 GiB artifact is filled, verified and served by a Signet JVM limited to a 64 MiB heap. Nothing
 * may hold a whole artifact in memory; the bytes that arrive must be exactly the signed ones.
 */
class LargeArtifactIT {

    private static final long SIZE = 1L << 30;

    @Test
    void oneGibibyteArtifactThroughA64MibHeap(@TempDir Path dir) throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        WheelBuilder big = WheelBuilder.wheel("bigwheel", "1.0.0").padding(SIZE, 42);
        StaticIndex index = StaticIndex.build(dir.resolve("index"), List.of(big),
                new MinisignArtifactSigner(key.secretKey()), false);
        String file = big.fileName();
        long length = Files.size(index.root().resolve("packages").resolve(file));

        try (StaticIndexServer upstream = StaticIndexServer.start(index.root(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SignetProcess signet = SignetProcess.start(
                     List.of("-Xmx64m", "-XX:MaxDirectMemorySize=64m", "-Dio.netty.leakDetection.level=paranoid"),
                     List.of("serve", "--upstream", upstream.simpleUri().toString(),
                             "--trusted-key", key.publicKey().encoded(),
                             "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
                             "--cache-dir", dir.resolve("cache").toString()))) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI url = URI.create("http://127.0.0.1:" + signet.port() + "/packages/bigwheel/" + file);

            for (String round : List.of("fill", "cache hit")) {
                HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(5)).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(response.statusCode()).as(round + ": " + signet.output()).isEqualTo(200);
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                long received = 0;
                try (InputStream body = response.body()) {
                    byte[] buf = new byte[1 << 16];
                    int n;
                    while ((n = body.read(buf)) > 0) {
                        sha256.update(buf, 0, n);
                        received += n;
                    }
                }
                assertThat(received).as(round).isEqualTo(length);
                assertThat(HexFormat.of().formatHex(sha256.digest())).as(round).isEqualTo(index.sha256(file));
            }
            assertThat(upstream.requestCount("/packages/" + file)).isEqualTo(1);
            assertThat(signet.isAlive()).isTrue();
            assertThat(signet.output()).noneMatch(line -> line.contains("OutOfMemoryError") || line.contains("LEAK:"));
        }
    }
}
