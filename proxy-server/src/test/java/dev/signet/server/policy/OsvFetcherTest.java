package dev.signet.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.signet.policy.FileAge;
import dev.signet.policy.MinAge;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The periodic fetch of {@code policy.osv-url}: a valid export is imported; anything else keeps the previous one. */
class OsvFetcherTest {

    private static byte[] zip(String entry, String json) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(json.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    @Test
    void importsAValidExportAndKeepsThePreviousDatabaseWhenTheNextDownloadIsMalformedOrFails(@TempDir Path dir)
            throws Exception {
        AtomicReference<byte[]> served = new AtomicReference<>(zip("MAL-2026-3.json", """
                {"id": "MAL-2026-3", "affected": [{"package": {"ecosystem": "PyPI", "name": "evil"}, "versions": ["1.0"]}]}"""));
        AtomicReference<Integer> status = new AtomicReference<>(200);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/all.zip", exchange -> {
            byte[] body = served.get();
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            PolicyRules rules = new PolicyRules(MinAge.OFF, List.of(), null, Set.of());
            PolicyState state = PolicyState.open(dir, rules);
            OsvFetcher fetcher = new OsvFetcher(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/all.zip"),
                    state, Runnable::run);
            assertThat(fetcher.fetch()).isEqualTo(1);
            assertThat(rules.current().decide("evil", "evil-1.0.tar.gz", FileAge.UNKNOWN, Instant.EPOCH).allowed()).isFalse();
            byte[] installed = Files.readAllBytes(PolicyState.directory(dir).resolve(PolicyState.OSV));

            served.set("<html>maintenance</html>".getBytes(StandardCharsets.UTF_8));
            assertThat(fetcher.fetch()).isEqualTo(-1);
            status.set(500);
            assertThat(fetcher.fetch()).isEqualTo(-1);
            assertThat(rules.current().decide("evil", "evil-1.0.tar.gz", FileAge.UNKNOWN, Instant.EPOCH).allowed()).isFalse();
            assertThat(Files.readAllBytes(PolicyState.directory(dir).resolve(PolicyState.OSV))).isEqualTo(installed);

            // A restart reads the database that was kept.
            PolicyRules restarted = new PolicyRules(MinAge.OFF, List.of(), null, Set.of());
            PolicyState.open(dir, restarted);
            assertThat(restarted.advisoryCount()).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }
}
