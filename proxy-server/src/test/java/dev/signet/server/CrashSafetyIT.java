package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.StaticIndex;
import dev.signet.server.demo.StaticIndexServer;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Eventually;
import dev.signet.server.testing.SignetProcess;
import dev.signet.sig.MinisignKeyPair;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Signet process killed with SIGKILL in the middle of a fill restarts into a consistent cache: the partial temp file
 * is gone, no entry for the artifact exists, the client waiting on the fill got nothing, and the next request fills and
 * serves the verified bytes.
 */
class CrashSafetyIT {

    @Test
    void sigkillDuringAFillLeavesNoPartialEntryAndNoOrphan(@TempDir Path dir) throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        WheelBuilder big = WheelBuilder.wheel("crashy", "1.0.0").padding(400L << 20, 9);
        StaticIndex index = StaticIndex.build(dir.resolve("index"), List.of(big), new MinisignArtifactSigner(key.secretKey()), false);
        Path cache = dir.resolve("cache");
        List<String> args = List.of("serve", "--trusted-key", key.publicKey().encoded(), "--listen", "127.0.0.1:0",
                "--cache-dir", cache.toString());
        String file = big.fileName();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        try (StaticIndexServer upstream = StaticIndexServer.start(index.root(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            List<String> withUpstream = new java.util.ArrayList<>(args);
            withUpstream.addAll(List.of("--upstream", upstream.simpleUri().toString()));
            try (SignetProcess first = SignetProcess.start(List.of("-Xmx128m"), withUpstream)) {
                CompletableFuture<HttpResponse<byte[]>> during =
                        http.sendAsync(request(first.port(), file), HttpResponse.BodyHandlers.ofByteArray());
                Eventually.await("a partial fill on disk", Duration.ofSeconds(60), () -> tempBytes(cache) > (8L << 20));
                first.kill();
                assertThat(during).as("the client waiting on the killed fill got no response, not a byte of the artifact")
                        .failsWithin(Duration.ofSeconds(30));
            }
            assertThat(tempBytes(cache)).as("the crash left a partial temp file").isPositive();
            assertThat(cache.resolve("artifacts").resolve("crashy").resolve(file)).doesNotExist();

            try (SignetProcess second = SignetProcess.start(List.of("-Xmx128m"), withUpstream)) {
                assertThat(tempBytes(cache)).as("orphaned temp files are removed at start").isZero();
                HttpResponse<InputStream> response = http.send(request(second.port(), file), HttpResponse.BodyHandlers.ofInputStream());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(sha256(response.body())).isEqualTo(index.sha256(file));
                assertThat(upstream.requestCount("/packages/" + file)).isEqualTo(2);
            }
        }
    }

    private static HttpRequest request(int port, String file) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/packages/crashy/" + file))
                .timeout(Duration.ofMinutes(5)).build();
    }

    private static long tempBytes(Path cache) {
        Path tmp = cache.resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(tmp)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(InputStream body) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = body) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
