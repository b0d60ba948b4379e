package dev.signet.server;

import static dev.signet.server.SharedStoreRefusalIT.count;
import static dev.signet.server.SharedStoreRefusalIT.get;
import static dev.signet.server.SharedStoreRefusalIT.upstreamFile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.DemoProjects;
import dev.signet.server.testing.Eventually;
import dev.signet.server.testing.Fleet;
import dev.signet.server.testing.Http;
import dev.signet.server.testing.NoLeaksExtension;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Offline ({@code offline: true}) means "never contact the upstream", not "never read the fleet's store": the store is
 * a cache tier. An offline edge with a local miss fills from the store, verifying every byte as always; what the store
 * does not hold (or holds damaged) is answered 504 like any uncached artifact offline, without an upstream request.
 */
@ExtendWith(NoLeaksExtension.class)
class SharedStoreOfflineIT {

    private static final String LIB = "signet-demo-lib";
    private static final String FILE = "signet_demo_lib-1.2.0-py3-none-any.whl";
    private static final String UTILS = "signet-demo-utils";
    private static final String NOT_IN_STORE = "signet_demo_utils-1.0.0-py3-none-any.whl";

    @Test
    void anOfflineEdgeFillsALocalMissFromTheStoreAndNeverAsksTheUpstream(@TempDir Path dir) throws Exception {
        try (Fleet fleet = Fleet.start(dir, DemoProjects.demoWheels())) {
            byte[] good = upstreamFile(fleet, FILE);
            assertThat(get(fleet.startEdge(), FILE).body()).isEqualTo(good);
            Eventually.await("the store holds " + FILE, Duration.ofSeconds(60),
                    () -> SharedStoreIT.inStore(fleet, LIB, FILE));
            SignetServer offline = offlineEdgeWithPages(fleet, dir.resolve("offline-edge"));

            HttpResponse<byte[]> filled = get(offline, FILE);

            assertThat(filled.statusCode()).isEqualTo(200);
            assertThat(filled.body()).isEqualTo(good);
            assertThat(fleet.upstream().totalRequestCount()).as("no upstream request of any kind").isZero();
            assertThat(SharedStoreIT.storeReads(offline, "hit")).isEqualTo(1);
            assertThat(fills(offline, "store")).isEqualTo(1);
            assertThat(fills(offline, "upstream")).isZero();
            assertThat(Files.readAllBytes(dir.resolve("offline-edge/artifacts").resolve(LIB).resolve(FILE)))
                    .as("committed locally: the next request is a local hit").isEqualTo(good);
            assertThat(get(offline, FILE).body()).isEqualTo(good);
            assertThat(SharedStoreIT.storeReads(offline, "hit")).isEqualTo(1);

            HttpResponse<String> missing = Http.get(offline.simpleUrl().replace("/simple/", "/packages/") + UTILS
                    + "/" + NOT_IN_STORE);

            assertThat(missing.statusCode()).isEqualTo(504);
            assertThat(missing.body()).contains(NOT_IN_STORE).contains("offline");
            assertThat(SharedStoreIT.storeReads(offline, "miss")).isEqualTo(1);
            assertThat(fleet.upstream().totalRequestCount()).as("no upstream request of any kind").isZero();
            assertThat(Files.exists(dir.resolve("offline-edge/artifacts").resolve(UTILS).resolve(NOT_IN_STORE)))
                    .isFalse();
        }
    }

    @Test
    void anOfflineEdgeRefusesADamagedStoreObjectSendsNoByteOfItAndCachesNothing(@TempDir Path dir) throws Exception {
        try (Fleet fleet = Fleet.start(dir, DemoProjects.demoWheels())) {
            byte[] good = upstreamFile(fleet, FILE);
            byte[] bad = good.clone();
            bad[bad.length / 2] ^= 0x01;
            byte[] signature = Files.readAllBytes(fleet.index().root().resolve("packages").resolve(FILE + ".minisig"));
            fleet.client().putObject(b -> b.bucket(Fleet.BUCKET).key(Fleet.objectKey(LIB, FILE))
                    .metadata(Map.of("signet-signature", java.util.Base64.getEncoder().encodeToString(signature))),
                    RequestBody.fromBytes(bad));
            SignetServer offline = offlineEdgeWithPages(fleet, dir.resolve("offline-edge"));

            HttpResponse<byte[]> response = get(offline, FILE);

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(response.body().length).isLessThan(1024);
            assertThat(count(offline, "signet.store.refusals")).isEqualTo(1);
            assertThat(fills(offline, "store")).isZero();
            assertThat(fleet.upstream().totalRequestCount()).isZero();
            assertThat(Files.exists(dir.resolve("offline-edge/artifacts").resolve(LIB).resolve(FILE))).isFalse();
            Eventually.await("the refused object is deleted", Duration.ofSeconds(30),
                    () -> !SharedStoreIT.inStore(fleet, LIB, FILE));
        }
    }

    /** An edge that read both projects' pages online (they persist in its cache dir), restarted offline on that dir. */
    private static SignetServer offlineEdgeWithPages(Fleet fleet, Path cacheDir) throws Exception {
        SignetServer online = fleet.startEdge(fleet.s3().endpoint(), Map.of("cache-dir", cacheDir.toString()));
        for (String project : new String[] {LIB, UTILS}) {
            assertThat(Http.get(online.simpleUrl() + project + "/").statusCode()).isEqualTo(200);
        }
        online.close();
        fleet.upstream().resetCounts();
        return fleet.startEdge(fleet.s3().endpoint(), Map.of("cache-dir", cacheDir.toString(), "offline", "true"));
    }

    private static double fills(SignetServer edge, String source) {
        var counter = edge.metrics().registry().find("signet.cache.fills").tag("source", source).counter();
        return counter == null ? 0 : counter.count();
    }
}
