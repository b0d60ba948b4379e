package dev.signet.server;

import static dev.signet.server.SharedStoreIT.INSTALLED;
import static dev.signet.server.SharedStoreIT.assertInstalls;
import static dev.signet.server.SharedStoreIT.inStore;
import static dev.signet.server.SharedStoreIT.project;
import static dev.signet.server.SharedStoreRefusalIT.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.server.demo.DemoProjects;
import dev.signet.server.demo.Fault;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Eventually;
import dev.signet.server.testing.Fleet;
import dev.signet.server.testing.NoLeaksExtension;
import dev.signet.server.testing.PacedRelay;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The store is optional at run time: stopped or stalling, installs still succeed from the upstream (a WARN and a
 * metric, never a failed request). Two edges filling one cold artifact at once leave one object, both served.
 */
@ExtendWith(NoLeaksExtension.class)
class SharedStoreFaultsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void storeProcessStoppedInstallsStillSucceedFromTheUpstream(@TempDir Path dir) throws Exception {
        try (Fleet fleet = Fleet.start(dir, DemoProjects.demoWheels())) {
            assertInstalls(fleet.startEdge(), dir.resolve("first"));
            awaitUploaded(fleet);
            fleet.s3().stop();
            SignetServer edge = fleet.startEdge();

            assertInstalls(edge, dir.resolve("second"));

            for (String file : INSTALLED) {
                assertThat(fleet.upstream().requestCount("/packages/" + file)).as(file).isEqualTo(2);
            }
            assertThat(count(edge, "signet.store.errors")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void storeStallingBehindASlowRelayInstallsStillSucceedFromTheUpstream(@TempDir Path dir) throws Exception {
        try (Fleet fleet = Fleet.start(dir, DemoProjects.demoWheels());
             // Ten bytes a second: a response head alone takes longer than the edge's store timeout.
             PacedRelay stalling = PacedRelay.start(fleet.s3().endpoint(), 10)) {
            assertInstalls(fleet.startEdge(), dir.resolve("first"));
            awaitUploaded(fleet);
            URI slowStore = URI.create(stalling.baseUri().toString().replaceAll("/$", ""));
            SignetServer edge = fleet.startEdge(slowStore, Map.of("shared-store.timeout", "1s"));

            assertInstalls(edge, dir.resolve("second"));

            for (String file : INSTALLED) {
                assertThat(fleet.upstream().requestCount("/packages/" + file)).as(file).isEqualTo(2);
            }
            assertThat(count(edge, "signet.store.errors")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void twoEdgesFillingOneColdArtifactAtOnceLeaveOneObjectAndBothAreServed(@TempDir Path dir) throws Exception {
        WheelBuilder wheel = WheelBuilder.wheel("racewheel", "1.0.0").padding(8L << 20, 7);
        try (Fleet fleet = Fleet.start(dir, List.of(wheel))) {
            String file = wheel.fileName();
            byte[] good = Files.readAllBytes(fleet.index().root().resolve("packages").resolve(file));
            // Both fills are under way before either finishes.
            fleet.upstream().override("/packages/" + file, Fault.delay(Duration.ofSeconds(2)));
            List<SignetServer> edges = List.of(fleet.startEdge(), fleet.startEdge());

            List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
            for (SignetServer edge : edges) {
                URI url = URI.create("http://127.0.0.1:" + edge.address().getPort() + "/packages/racewheel/" + file);
                responses.add(HTTP.sendAsync(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2)).build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
            for (CompletableFuture<HttpResponse<byte[]>> response : responses) {
                assertThat(response.get().statusCode()).isEqualTo(200);
                assertThat(response.get().body()).isEqualTo(good);
            }
            assertThat(fleet.upstream().requestCount("/packages/" + file)).as("both missed the store").isEqualTo(2);
            Eventually.await("both uploads settled", Duration.ofSeconds(60),
                    () -> edges.stream().mapToDouble(e -> uploads(e, "uploaded") + uploads(e, "exists")).sum() == 2);
            assertThat(edges.stream().mapToDouble(e -> uploads(e, "uploaded")).sum()).isGreaterThanOrEqualTo(1);
            var listing = fleet.client().listObjectsV2(b -> b.bucket(Fleet.BUCKET).prefix(Fleet.PREFIX));
            // s3proxy's filesystem blobstore lists its directories as "folder/" keys: only objects are counted.
            assertThat(listing.contents()).extracting(o -> o.key()).filteredOn(k -> !k.endsWith("/")).containsExactly(Fleet.objectKey("racewheel", file));
            byte[] stored = fleet.client().getObject(b -> b.bucket(Fleet.BUCKET).key(Fleet.objectKey("racewheel", file)),
                    ResponseTransformer.toBytes()).asByteArray();
            assertThat(stored).isEqualTo(good);
            // And the store itself refuses a second conditional write, which is what settles a closer race.
            assertThatThrownBy(() -> fleet.client().putObject(b -> b.bucket(Fleet.BUCKET)
                    .key(Fleet.objectKey("racewheel", file)).ifNoneMatch("*"), RequestBody.fromBytes(new byte[] {1})))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isIn(409, 412));
        }
    }

    private static void awaitUploaded(Fleet fleet) {
        for (String file : INSTALLED) {
            Eventually.await(file + " uploaded", Duration.ofSeconds(60), () -> inStore(fleet, project(file), file));
        }
    }

    private static double uploads(SignetServer edge, String outcome) {
        var timer = edge.metrics().registry().find("signet.store.uploads").tag("outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }
}
