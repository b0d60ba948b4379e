package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.Fault;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upstream trouble gives a clear 502/504 with a reason, never a hang; concurrent misses share one upstream fetch. */
class UpstreamFailureIT {

    private static final String FILE = "slow-1.0.0-py3-none-any.whl";
    private static final String PATH = "/packages/slow/" + FILE;

    @TempDir
    Path dir;
    private SignetFixture f;

    @BeforeEach
    void start() throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        f = SignetFixture.start(dir, List.of(WheelBuilder.wheel("slow", "1.0.0").padding(200_000, 1)),
                new MinisignArtifactSigner(key.secretKey()), key.publicKey().encoded(),
                Map.of("upstream-timeouts.first-byte", "1s", "upstream-timeouts.idle", "1s"));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void silentUpstreamPageIsAGatewayTimeout() throws Exception {
        f.upstream().override("/simple/slow/", Fault.hang());
        long started = System.nanoTime();
        HttpResponse<byte[]> response = f.get("/simple/slow/");
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(body(response)).contains("no response within");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void upstreamErrorOnArtifactIsABadGatewayAndNothingIsCached() throws Exception {
        f.upstream().override("/packages/" + FILE, Fault.status(500));
        HttpResponse<byte[]> response = f.get(PATH);
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(body(response)).contains("500").contains(FILE);
        assertThat(f.cacheFiles()).isEmpty();

        f.upstream().clearOverrides();
        assertThat(f.get(PATH).statusCode()).as("the next request tries again").isEqualTo(200);
    }

    /**
     * Regression: an upstream that closes the connection right after a complete body (HTTP/1.0 style) left the fill
     * hanging, because finishing the exchange tried to detach it from a pipeline the close had already torn down.
     */
    @Test
    void upstreamClosingAfterACompleteBodyStillCompletesTheFill() throws Exception {
        f.upstream().override("/packages/" + FILE, Fault.truncate(Long.MAX_VALUE));
        HttpResponse<byte[]> response = f.get(PATH);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(f.upstreamBytes(FILE));
    }

    @Test
    void unreachableUpstreamIsABadGateway() throws Exception {
        f.upstream().close();
        HttpResponse<byte[]> response = f.get("/simple/slow/");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(body(response)).contains("cannot connect to upstream");
    }

    @Test
    void concurrentRequestsForAColdArtifactShareOneUpstreamFetch() throws Exception {
        // The delay keeps the fill open long enough for every request to arrive while it runs.
        f.upstream().override("/packages/" + FILE, Fault.delay(Duration.ofMillis(800)));
        byte[] expected = f.upstreamBytes(FILE);
        ExecutorService clients = Executors.newFixedThreadPool(20);
        try {
            List<Future<HttpResponse<byte[]>>> responses = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                responses.add(clients.submit(() -> f.get(PATH)));
            }
            for (Future<HttpResponse<byte[]>> response : responses) {
                assertThat(response.get().statusCode()).isEqualTo(200);
                assertThat(response.get().body()).isEqualTo(expected);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(f.upstream().requestCount("/packages/" + FILE)).isEqualTo(1);
        assertThat(f.upstream().requestCount("/packages/" + FILE + ".minisig")).isEqualTo(1);
    }

    private static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
