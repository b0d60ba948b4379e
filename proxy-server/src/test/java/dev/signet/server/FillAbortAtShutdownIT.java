package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.Fault;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Eventually;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shutdown while a fill is half way through its upstream body: the drain gives up after its timeout, the fill is
 * aborted, the waiting client gets no artifact byte, and nothing is left in the cache (no entry, no temp file). The
 * next start fetches the file again and serves it verified.
 */
class FillAbortAtShutdownIT {

    @Test
    void fillInProgressAtShutdownIsAbortedAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        WheelBuilder wheel = WheelBuilder.wheel("stalled", "1.0.0").padding(2 << 20, 5);
        String file = wheel.fileName();
        String path = "/packages/stalled/" + file;
        try (SignetFixture f = SignetFixture.start(dir, List.of(wheel), new MinisignArtifactSigner(key.secretKey()),
                key.publicKey().encoded(), Map.of("shutdown.drain-delay", "0s", "shutdown.drain-timeout", "1s"))) {
            f.upstream().override("/packages/" + file, Fault.stall(1 << 20));
            CompletableFuture<HttpResponse<byte[]>> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return f.get(path);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Eventually.await("a fill with half its body in a temp file", Duration.ofSeconds(20),
                    () -> f.signet().artifacts().fillsInProgress() == 1 && !tempFiles(f).isEmpty());


            f.signet().drainAndClose();

            // The client's connection is closed without an answer: no artifact byte reached it.
            assertThat(waiting).failsWithin(Duration.ofSeconds(20)).withThrowableOfType(ExecutionException.class);
            assertThat(f.cacheFiles()).as("no cache entry and no temp file after the aborted fill").isEmpty();

            f.upstream().clearOverrides();
            f.restart();
            HttpResponse<byte[]> again = f.get(path);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.body()).isEqualTo(f.upstreamBytes(file));
        }
    }

    private static List<Path> tempFiles(SignetFixture f) {
        try {
            return f.cacheFiles().stream().filter(p -> p.startsWith(f.cacheDir().resolve("tmp"))).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
