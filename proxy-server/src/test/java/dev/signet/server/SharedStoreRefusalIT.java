package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.DemoProjects;
import dev.signet.server.demo.Fault;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.testing.Eventually;
import dev.signet.server.testing.Fleet;
import dev.signet.server.testing.NoLeaksExtension;
import dev.signet.sig.MinisignKeyPair;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The store is untrusted: an object altered, truncated, swapped with another artifact's, or signed by a key the edge
 * does not trust is refused, counted, deleted from the store and refilled from the upstream (whose verified file then
 * replaces it); no client ever receives its bytes, and nothing of it is cached.
 */
@ExtendWith(NoLeaksExtension.class)
class SharedStoreRefusalIT {

    private static final String PROJECT = "signet-demo-lib";
    private static final String FILE = "signet_demo_lib-1.2.0-py3-none-any.whl";
    private static final String OTHER = "signet_demo_utils-1.0.0-py3-none-any.whl";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private enum Damage { ALTERED, TRUNCATED, SWAPPED, UNKNOWN_KEY }

    @Test
    void alteredTruncatedSwappedAndUnknownKeyObjectsAreRefusedDeletedAndRefilledFromTheUpstream(@TempDir Path dir)
            throws Exception {
        try (Fleet fleet = Fleet.start(dir, DemoProjects.demoWheels())) {
            byte[] good = upstreamFile(fleet, FILE);
            assertThat(get(fleet.startEdge(), FILE).body()).isEqualTo(good);
            awaitStoreHolds(fleet, good);
            int upstreamRequests = 1;
            for (Damage damage : Damage.values()) {
                byte[] bad = damage(fleet, damage, dir);
                SignetServer edge = fleet.startEdge();

                HttpResponse<byte[]> response = get(edge, FILE);

                assertThat(response.statusCode()).as(damage.name()).isEqualTo(200);
                assertThat(response.body()).as(damage + ": the upstream's bytes, not the store's").isEqualTo(good);
                if (!Arrays.equals(bad, good)) {
                    assertThat(Arrays.equals(response.body(), bad)).isFalse();
                }
                assertThat(fleet.upstream().requestCount("/packages/" + FILE)).as(damage.name())
                        .isEqualTo(++upstreamRequests);
                assertThat(count(edge, "signet.store.refusals")).as(damage.name()).isEqualTo(1);
                // Repaired: the refused object was deleted and the edge's verified file uploaded in its place.
                awaitStoreHolds(fleet, good);
            }
        }
    }

    @Test
    void aRefusedObjectWithTheUpstreamDownSendsNoByteAndCachesNothing(@TempDir Path dir) throws Exception {
        try (Fleet fleet = Fleet.start(dir, DemoProjects.demoWheels())) {
            byte[] good = upstreamFile(fleet, FILE);
            assertThat(get(fleet.startEdge(), FILE).body()).isEqualTo(good);
            awaitStoreHolds(fleet, good);
            byte[] bad = damage(fleet, Damage.ALTERED, dir);
            fleet.upstream().override("/packages/" + FILE, Fault.status(503));
            SignetServer edge = fleet.startEdge();

            HttpResponse<byte[]> response = get(edge, FILE);

            assertThat(response.statusCode()).isNotEqualTo(200);
            assertThat(new String(response.body())).doesNotContain(new String(bad, 0, 64));
            assertThat(response.body().length).isLessThan(1024);
            assertThat(Files.exists(dir.resolve("edge-1/artifacts").resolve(PROJECT).resolve(FILE))).isFalse();
            assertThat(count(edge, "signet.store.refusals")).isEqualTo(1);
            Eventually.await("the refused object is deleted", Duration.ofSeconds(30), () -> !exists(fleet));
        }
    }

    private static byte[] damage(Fleet fleet, Damage damage, Path dir) throws Exception {
        Path packages = fleet.index().root().resolve("packages");
        byte[] good = Files.readAllBytes(packages.resolve(FILE));
        byte[] signature = Files.readAllBytes(packages.resolve(FILE + ".minisig"));
        byte[] bytes;
        switch (damage) {
            case ALTERED -> {
                bytes = good.clone();
                bytes[bytes.length / 2] ^= 0x01;
            }
            case TRUNCATED -> bytes = Arrays.copyOf(good, good.length / 2);
            case SWAPPED -> {
                bytes = Files.readAllBytes(packages.resolve(OTHER));
                signature = Files.readAllBytes(packages.resolve(OTHER + ".minisig"));
            }
            case UNKNOWN_KEY -> {
                bytes = good;
                MinisignKeyPair stranger = MinisignKeyPair.generate(new SecureRandom());
                signature = new MinisignArtifactSigner(stranger.secretKey()).sign(packages.resolve(FILE), FILE);
            }
            default -> throw new AssertionError(damage);
        }
        String encoded = Base64.getEncoder().encodeToString(signature);
        fleet.client().putObject(b -> b.bucket(Fleet.BUCKET).key(Fleet.objectKey(PROJECT, FILE))
                .metadata(Map.of("signet-signature", encoded)), RequestBody.fromBytes(bytes));
        return bytes;
    }

    private static void awaitStoreHolds(Fleet fleet, byte[] expected) {
        Eventually.await("the store holds the verified file", Duration.ofSeconds(60), () -> {
            try {
                byte[] stored = fleet.client().getObject(b -> b.bucket(Fleet.BUCKET).key(Fleet.objectKey(PROJECT, FILE)),
                        ResponseTransformer.toBytes()).asByteArray();
                return Arrays.equals(stored, expected);
            } catch (NoSuchKeyException e) {
                return false;
            }
        });
    }

    private static boolean exists(Fleet fleet) {
        try {
            fleet.client().headObject(b -> b.bucket(Fleet.BUCKET).key(Fleet.objectKey(PROJECT, FILE)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    static byte[] upstreamFile(Fleet fleet, String file) throws Exception {
        return Files.readAllBytes(fleet.index().root().resolve("packages").resolve(file));
    }

    static HttpResponse<byte[]> get(SignetServer edge, String file) throws Exception {
        URI url = URI.create("http://127.0.0.1:" + edge.address().getPort() + "/packages/" + PROJECT + "/" + file);
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        // Answered before the commit ends: the tests look at the local cache and the counters right after.
        dev.signet.server.testing.SignetFixture.awaitFills(edge);
        return response;
    }

    static double count(SignetServer edge, String name) {
        return edge.metrics().registry().find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
