package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.Fault;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Eventually;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache engine with a real Signet: disk budget, paranoid serving, the scrub, and request coalescing. */
class CacheEngineIT {

    @TempDir
    Path dir;
    private final MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());

    private SignetFixture start(List<WheelBuilder> wheels, Map<String, Object> settings) throws Exception {
        return SignetFixture.start(dir, wheels, key, settings);
    }

    @Test
    void fillingPastMaxSizeKeepsTheStoreUnderItAndServesEveryRequest() throws Exception {
        List<WheelBuilder> wheels = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            wheels.add(WheelBuilder.wheel("bulk" + i, "1.0.0").padding(300_000, i));
        }
        long maxSize = 1L << 20;
        try (SignetFixture f = start(wheels, Map.of("max-size", "1MiB", "min-free", "0"))) {
            for (int round = 0; round < 2; round++) {
                for (WheelBuilder wheel : wheels) {
                    String project = wheel.fileName().substring(0, wheel.fileName().indexOf('-'));
                    HttpResponse<byte[]> response = f.get("/packages/" + project + "/" + wheel.fileName());
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(response.body()).isEqualTo(f.upstreamBytes(wheel.fileName()));
                }
            }
            f.signet().budget().cleanUp();
            Eventually.await("evicted files deleted", Duration.ofSeconds(30), () -> artifactBytes(f) <= maxSize);
            assertThat(f.signet().budget().evictionCount()).isPositive();
            assertThat(f.signet().budget().bytes()).isLessThanOrEqualTo(maxSize);
        }
    }

    @Test
    void paranoidModeReverifiesBeforeEveryServe() throws Exception {
        WheelBuilder wheel = WheelBuilder.wheel("careful", "1.0.0").padding(50_000, 3);
        try (SignetFixture f = start(List.of(wheel), Map.of("verify-on-serve", "paranoid"))) {
            String path = "/packages/careful/" + wheel.fileName();
            assertThat(f.get(path).headers().firstValue("x-signet-cache")).hasValue("miss");
            assertThat(f.get(path).headers().firstValue("x-signet-cache")).hasValue("reverified");
            assertThat(f.get(path).headers().firstValue("x-signet-cache")).hasValue("reverified");
        }
        try (SignetFixture f = SignetFixture.start(dir.resolve("identity"), List.of(wheel), key, Map.of())) {
            String path = "/packages/careful/" + wheel.fileName();
            assertThat(f.get(path).headers().firstValue("x-signet-cache")).hasValue("miss");
            assertThat(f.get(path).headers().firstValue("x-signet-cache")).hasValue("hit");
        }
    }

    @Test
    void scrubRemovesACorruptedArtifactNobodyAskedFor() throws Exception {
        WheelBuilder wheel = WheelBuilder.wheel("rotting", "1.0.0").padding(50_000, 4);
        try (SignetFixture f = start(List.of(wheel), Map.of())) {
            String path = "/packages/rotting/" + wheel.fileName();
            assertThat(f.get(path).statusCode()).isEqualTo(200);
            Path cached = f.cachedFile("rotting", wheel.fileName());
            byte[] bytes = Files.readAllBytes(cached);
            bytes[bytes.length / 3] ^= 0x10;
            Files.write(cached, bytes);

            f.signet().scrubber().pass();
            assertThat(cached).doesNotExist();

            HttpResponse<byte[]> refetched = f.get(path);
            assertThat(refetched.body()).isEqualTo(f.upstreamBytes(wheel.fileName()));
            assertThat(refetched.headers().firstValue("x-signet-cache")).hasValue("miss");
        }
    }

    @Test
    void hundredClientsForAColdArtifactCauseOneUpstreamRequestEvenWhenTheFirstDisconnects() throws Exception {
        WheelBuilder wheel = WheelBuilder.wheel("popular", "1.0.0").padding(500_000, 5);
        try (SignetFixture f = start(List.of(wheel), Map.of())) {
            String path = "/packages/popular/" + wheel.fileName();
            f.upstream().override("/packages/" + wheel.fileName(), Fault.delay(Duration.ofMillis(1500)));
            byte[] expected = f.upstreamBytes(wheel.fileName());

            Socket first = new Socket(InetAddress.getLoopbackAddress(), f.signet().address().getPort());
            OutputStream out = first.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: signet\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Eventually.await("the first request started the fill", Duration.ofSeconds(10),
                    () -> f.signet().artifacts().fillsInProgress() == 1);

            ExecutorService clients = Executors.newFixedThreadPool(99);
            try {
                List<Future<HttpResponse<byte[]>>> responses = new ArrayList<>();
                for (int i = 0; i < 99; i++) {
                    responses.add(clients.submit(() -> f.get(path)));
                }
                first.close();
                for (Future<HttpResponse<byte[]>> response : responses) {
                    assertThat(response.get().statusCode()).isEqualTo(200);
                    assertThat(response.get().body()).isEqualTo(expected);
                }
            } finally {
                clients.shutdownNow();
            }
            assertThat(f.upstream().requestCount("/packages/" + wheel.fileName())).isEqualTo(1);
        }
    }

    private static long artifactBytes(SignetFixture f) {
        try (Stream<Path> files = Files.walk(f.cacheDir().resolve("artifacts"))) {
            return files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".signet"))
                    .mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
