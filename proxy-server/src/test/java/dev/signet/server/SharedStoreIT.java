package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.DemoProjects;
import dev.signet.server.testing.Eventually;
import dev.signet.server.testing.Fleet;
import dev.signet.server.testing.Http;
import dev.signet.server.testing.NoLeaksExtension;
import dev.signet.server.testing.Pip;
import dev.signet.server.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * A fleet of edges sharing one S3 store (a real s3proxy): the upstream is asked once per artifact for the whole fleet,
 * and every edge serves the verified bytes.
 */
@ExtendWith(NoLeaksExtension.class)
class SharedStoreIT {

    static final List<String> INSTALLED = List.of("signet_demo_app-1.0.0-py3-none-any.whl",
            "signet_demo_lib-1.2.0-py3-none-any.whl", "signet_demo_utils-1.0.0-py3-none-any.whl");

    @Test
    void threeEdgesOneStoreCostOneUpstreamRequestPerArtifactForTheWholeFleet(@TempDir Path dir) throws Exception {
        try (Fleet fleet = Fleet.start(dir, DemoProjects.demoWheels())) {
            List<SignetServer> edges = List.of(fleet.startEdge(), fleet.startEdge(), fleet.startEdge());
            for (int i = 0; i < edges.size(); i++) {
                assertInstalls(edges.get(i), dir.resolve("install-" + i));
                if (i == 0) {
                    // Uploads run after the clients were answered: wait for them before the next edge asks.
                    for (String file : INSTALLED) {
                        Eventually.await(file + " uploaded to the store", Duration.ofSeconds(60),
                                () -> inStore(fleet, project(file), file));
                    }
                }
            }
            for (String file : INSTALLED) {
                assertThat(fleet.upstream().requestCount("/packages/" + file)).as(file).isEqualTo(1);
                assertThat(fleet.upstream().requestCount("/packages/" + file + ".minisig")).as(file + ".minisig").isEqualTo(1);
                byte[] upstreamBytes = Files.readAllBytes(fleet.index().root().resolve("packages").resolve(file));
                for (int i = 0; i < edges.size(); i++) {
                    Path cached = dir.resolve("edge-" + i).resolve("artifacts").resolve(project(file)).resolve(file);
                    assertThat(Files.readAllBytes(cached)).as("edge " + i + " " + file).isEqualTo(upstreamBytes);
                }
            }
            for (String file : fleet.index().fileNames()) {
                // Whatever else pip looked at (another version while resolving), no file was fetched twice.
                assertThat(fleet.upstream().requestCount("/packages/" + file)).as(file).isLessThanOrEqualTo(1);
            }
            for (SignetServer edge : edges.subList(1, 3)) {
                assertThat(storeReads(edge, "hit")).as("artifacts the later edges filled from the store")
                        .isGreaterThanOrEqualTo(INSTALLED.size());
                assertThat(storeReads(edge, "refused")).isZero();
            }
        }
    }

    @Test
    void anAdminPurgeOfAnArtifactDeletesItFromTheStoreTooButAPurgeOfAllLeavesTheStore(@TempDir Path dir) throws Exception {
        String token = "fleet-admin-token-0123456789";
        try (Fleet fleet = Fleet.start(dir, DemoProjects.demoWheels())) {
            SignetServer edge = fleet.startEdge(fleet.s3().endpoint(), java.util.Map.of("admin-token", token));
            assertInstalls(edge, dir.resolve("install"));
            for (String file : INSTALLED) {
                Eventually.await(file + " uploaded", Duration.ofSeconds(60), () -> inStore(fleet, project(file), file));
            }
            String admin = "http://127.0.0.1:" + edge.adminAddress().getPort();
            String lib = INSTALLED.get(1);

            var purged = Http.post(admin + "/purge/artifact/" + project(lib) + "/" + lib, "Authorization", "Bearer " + token);

            assertThat(purged.statusCode()).isEqualTo(200);
            assertThat(inStore(fleet, project(lib), lib)).as("purged from the store").isFalse();
            assertThat(Http.post(admin + "/purge/all", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
            assertThat(inStore(fleet, project(INSTALLED.get(0)), INSTALLED.get(0))).as("purge/all empties this edge only")
                    .isTrue();
        }
    }

    static void assertInstalls(SignetServer edge, Path target) throws Exception {
        Files.createDirectories(target);
        Processes.Result pip = Pip.install(target.getParent(), edge.simpleUrl(), target, List.of(), "signet-demo-app");
        assertThat(pip.exitCode()).as(pip.output()).isZero();
        assertThat(Files.readString(target.resolve("signet_demo_lib/__init__.py"))).contains("\"1.2.0\"");
        assertThat(Files.readString(target.resolve("signet_demo_utils/__init__.py"))).contains("\"1.0.0\"");
    }

    static String project(String file) {
        return file.substring(0, file.indexOf('-')).replace('_', '-');
    }

    static boolean inStore(Fleet fleet, String project, String file) {
        try {
            fleet.client().headObject(b -> b.bucket(Fleet.BUCKET).key(Fleet.objectKey(project, file)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    static double storeReads(SignetServer edge, String outcome) {
        var timer = edge.metrics().registry().find("signet.store.reads").tag("outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }
}
