package dev.signet.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.config.OperationsConfig;
import dev.signet.server.config.RequestHeadLimits;
import dev.signet.server.metrics.SignetMetrics;
import dev.signet.server.netty.Transport;
import dev.signet.server.testing.Http;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /readyz over a real admin listener through every phase: starting, serving, broken cache or keys, draining. */
class ReadinessProbeTest {

    @Test
    void readyOnlyWhileServingWithAWritableCacheAndKeys(@TempDir Path dir) throws Exception {
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newGroup(1, "readiness-test");
        ExecutorService workers = Executors.newSingleThreadExecutor();
        AtomicBoolean keys = new AtomicBoolean(true);
        Path cache = Files.createDirectory(dir.resolve("cache"));
        Readiness readiness = new Readiness(cache, keys::get);
        try (SignetMetrics metrics = new SignetMetrics();
             AdminServer admin = AdminServer.bind(group, transport.serverChannelType(),
                     new OperationsConfig.Admin(InetSocketAddress.createUnresolved("127.0.0.1", 0), null, true),
                     readiness, metrics, null, null, workers, RequestHeadLimits.DEFAULTS)) {
            String url = "http://127.0.0.1:" + admin.address().getPort();

            assertNotReady(url, "starting: listeners not bound yet");
            assertThat(Http.get(url + "/livez").statusCode()).as("alive while starting").isEqualTo(200);

            readiness.serving();
            assertThat(Http.get(url + "/readyz").statusCode()).isEqualTo(200);

            keys.set(false);
            assertNotReady(url, "no trusted key loaded");
            keys.set(true);

            Files.delete(cache);
            assertNotReady(url, "is not a writable directory");
            Files.createDirectory(cache);
            assertThat(Http.get(url + "/readyz").statusCode()).isEqualTo(200);

            readiness.draining();
            assertNotReady(url, "draining: shutting down");
            readiness.serving();
            assertNotReady(url, "draining");
            assertThat(Http.post(url + "/purge/all").statusCode()).as("no token configured: purge disabled").isEqualTo(401);
        } finally {
            workers.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void assertNotReady(String url, String reason) throws Exception {
        HttpResponse<String> r = Http.get(url + "/readyz");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).startsWith("not ready: ").contains(reason);
    }
}
