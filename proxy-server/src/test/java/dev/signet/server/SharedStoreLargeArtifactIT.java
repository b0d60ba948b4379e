package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.StaticIndex;
import dev.signet.server.demo.StaticIndexServer;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Eventually;
import dev.signet.server.testing.S3Server;
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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Bounded memory through the shared store: a 1 GiB artifact is filled from the upstream by one edge and uploaded
 * (multipart, streamed from its committed file), then filled from the store by a second edge with an empty cache,
 * both Signet JVMs limited to a 64 MiB heap. The second edge never asks the upstream for the file, and serves exactly
 * the signed bytes.
 */
class SharedStoreLargeArtifactIT {

    private static final long SIZE = 1L << 30;
    private static final String BUCKET = "signet-large";

    @Test
    void oneGibibyteArtifactUpAndDownThroughTheStoreWithA64MibHeap(@TempDir Path dir) throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        WheelBuilder big = WheelBuilder.wheel("bigwheel", "1.0.0").padding(SIZE, 42);
        StaticIndex index = StaticIndex.build(dir.resolve("index"), List.of(big),
                new MinisignArtifactSigner(key.secretKey()), false);
        String file = big.fileName();
        long length = Files.size(index.root().resolve("packages").resolve(file));

        try (StaticIndexServer upstream = StaticIndexServer.start(index.root(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             S3Server s3 = S3Server.start(dir.resolve("s3"));
             S3Client client = s3.client()) {
            client.createBucket(b -> b.bucket(BUCKET));
            String objectKey = "large/artifacts/bigwheel/" + file;
            for (String edge : List.of("uploader", "reader")) {
                try (SignetProcess signet = start(upstream, key, s3, dir.resolve(edge))) {
                    assertServed(signet, file, length, index.sha256(file), edge);
                    if (edge.equals("uploader")) {
                        Eventually.await("the multipart upload is complete", Duration.ofMinutes(10), () -> {
                            try {
                                return client.headObject(b -> b.bucket(BUCKET).key(objectKey)).contentLength() == length;
                            } catch (NoSuchKeyException e) {
                                return false;
                            }
                        });
                    }
                    assertThat(signet.isAlive()).isTrue();
                    assertThat(signet.output()).noneMatch(line -> line.contains("OutOfMemoryError") || line.contains("LEAK:")
                            || line.contains("shared store get") || line.contains("refused"));
                }
            }
            assertThat(upstream.requestCount("/packages/" + file)).as("the reader filled from the store").isEqualTo(1);
        }
    }

    private static SignetProcess start(StaticIndexServer upstream, MinisignKeyPair key, S3Server s3, Path cache)
            throws Exception {
        List<String> jvm = new ArrayList<>(List.of("-Xmx64m", "-XX:MaxDirectMemorySize=64m",
                "-Dio.netty.leakDetection.level=paranoid"));
        S3Server.credentialProperties().forEach((name, value) -> jvm.add("-D" + name + "=" + value));
        return SignetProcess.start(jvm, List.of("serve", "--upstream", upstream.simpleUri().toString(),
                "--trusted-key", key.publicKey().encoded(),
                "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
                "--cache-dir", cache.toString(),
                "--set", "shared-store.url=s3://" + BUCKET + "/large",
                "--set", "shared-store.endpoint=" + s3.endpoint(),
                "--set", "shared-store.path-style=true",
                "--set", "shared-store.timeout=60s"));
    }

    private static void assertServed(SignetProcess signet, String file, long length, String sha256Hex, String round)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI url = URI.create("http://127.0.0.1:" + signet.port() + "/packages/bigwheel/" + file);
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(10)).build(),
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
        assertThat(HexFormat.of().formatHex(sha256.digest())).as(round).isEqualTo(sha256Hex);
    }
}
