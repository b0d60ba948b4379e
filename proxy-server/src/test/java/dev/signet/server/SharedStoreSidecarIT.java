package dev.signet.server;

import static dev.signet.server.SharedStoreRefusalIT.count;
import static dev.signet.server.SharedStoreRefusalIT.get;
import static dev.signet.server.SharedStoreRefusalIT.upstreamFile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.DemoProjects;
import dev.signet.server.demo.Fault;
import dev.signet.server.testing.Eventually;
import dev.signet.server.testing.Fleet;
import dev.signet.server.testing.NoLeaksExtension;
import dev.signet.sig.MinisignSigner;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A signature too large for S3's 2 KiB of object metadata (here: long comments) is shared too, in a sidecar
 * object written before the artifact, and read back through the same checks; a tampered or missing sidecar is refused,
 * both objects are deleted, and the artifact is refilled from the upstream (then shared again). Regression: such
 * artifacts were never uploaded, so every edge fetched them from the upstream.
 */
@ExtendWith(NoLeaksExtension.class)
class SharedStoreSidecarIT {

    private static final String PROJECT = "signet-demo-lib";
    private static final String FILE = "signet_demo_lib-1.2.0-py3-none-any.whl";
    private static final String SIDECAR = "edges/signatures/" + PROJECT + "/" + FILE + ".minisig";

    @Test
    void aSignatureTooLargeForObjectMetadataIsSharedInASidecarAndTheNextEdgeFillsFromTheStore(@TempDir Path dir)
            throws Exception {
        try (Fleet fleet = Fleet.start(dir, DemoProjects.demoWheels())) {
            byte[] good = upstreamFile(fleet, FILE);
            byte[] longSignature = signWithLongComment(fleet);
            assertThat(Base64.getEncoder().encodeToString(longSignature).length()).isGreaterThan(1800);
            assertThat(get(fleet.startEdge(), FILE).body()).isEqualTo(good);

            awaitShared(fleet, good, longSignature);
            var head = fleet.client().headObject(b -> b.bucket(Fleet.BUCKET).key(Fleet.objectKey(PROJECT, FILE)));
            assertThat(head.metadata()).containsEntry("signet-signature-sidecar", "minisig")
                    .doesNotContainKey("signet-signature");
            SignetServer second = fleet.startEdge();

            HttpResponse<byte[]> response = get(second, FILE);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(good);
            assertThat(fleet.upstream().requestCount("/packages/" + FILE)).as("one upstream download for the fleet")
                    .isEqualTo(1);
            assertThat(SharedStoreIT.storeReads(second, "hit")).isEqualTo(1);
            assertThat(count(second, "signet.store.refusals")).isZero();
        }
    }

    @Test
    void aTamperedOrMissingSidecarIsRefusedBothObjectsDeletedAndTheArtifactRefilledFromTheUpstream(@TempDir Path dir)
            throws Exception {
        try (Fleet fleet = Fleet.start(dir, DemoProjects.demoWheels())) {
            byte[] good = upstreamFile(fleet, FILE);
            byte[] longSignature = signWithLongComment(fleet);
            assertThat(get(fleet.startEdge(), FILE).body()).isEqualTo(good);
            awaitShared(fleet, good, longSignature);
            int upstreamRequests = 1;
            for (boolean missing : new boolean[] {false, true}) {
                if (missing) {
                    fleet.client().deleteObject(b -> b.bucket(Fleet.BUCKET).key(SIDECAR));
                } else {
                    fleet.client().putObject(b -> b.bucket(Fleet.BUCKET).key(SIDECAR), RequestBody.fromBytes(tampered(longSignature)));
                }
                SignetServer edge = fleet.startEdge();

                HttpResponse<byte[]> response = get(edge, FILE);

                String what = missing ? "missing sidecar" : "tampered sidecar";
                assertThat(response.statusCode()).as(what).isEqualTo(200);
                assertThat(response.body()).as(what + ": the upstream's verified bytes").isEqualTo(good);
                assertThat(fleet.upstream().requestCount("/packages/" + FILE)).as(what).isEqualTo(++upstreamRequests);
                assertThat(count(edge, "signet.store.refusals")).as(what).isEqualTo(1);
                assertThat(SharedStoreIT.storeReads(edge, "hit")).as(what).isZero();
                // Repaired: both deleted, then the edge's verified file and its signature shared again.
                awaitShared(fleet, good, longSignature);
            }
        }
    }

    @Test
    void aTamperedSidecarWithTheUpstreamDownSendsNoByteAndCachesNothing(@TempDir Path dir) throws Exception {
        try (Fleet fleet = Fleet.start(dir, DemoProjects.demoWheels())) {
            byte[] good = upstreamFile(fleet, FILE);
            byte[] longSignature = signWithLongComment(fleet);
            assertThat(get(fleet.startEdge(), FILE).body()).isEqualTo(good);
            awaitShared(fleet, good, longSignature);
            fleet.client().putObject(b -> b.bucket(Fleet.BUCKET).key(SIDECAR), RequestBody.fromBytes(tampered(longSignature)));
            fleet.upstream().override("/packages/" + FILE, Fault.status(503));
            SignetServer edge = fleet.startEdge();

            HttpResponse<byte[]> response = get(edge, FILE);

            assertThat(response.statusCode()).isNotEqualTo(200);
            assertThat(response.body().length).isLessThan(1024);
            assertThat(count(edge, "signet.store.refusals")).isEqualTo(1);
            assertThat(Files.exists(dir.resolve("edge-1/artifacts").resolve(PROJECT).resolve(FILE))).isFalse();
            Eventually.await("the object and its sidecar are deleted", Duration.ofSeconds(30),
                    () -> !exists(fleet, Fleet.objectKey(PROJECT, FILE)) && !exists(fleet, SIDECAR));
        }
    }

    /**
     * Re-signs the upstream's file with the fleet's key and a trusted comment of about 1 KB and an untrusted one of 600 bytes (still minisign's format,
     * with {@code file:}), so its base64 is over the 1800 bytes that fit in object metadata.
     */
    private static byte[] signWithLongComment(Fleet fleet) throws Exception {
        Path file = fleet.index().root().resolve("packages").resolve(FILE);
        // The trusted comment may be 1 KiB at most; the untrusted one makes up the rest.
        String comment = "timestamp:1767225600\tfile:" + FILE + "\thashed\tnote:" + "x".repeat(900);
        String untrusted = "signature from the release pipeline, " + "y".repeat(600);
        byte[] signature;
        try (InputStream in = Files.newInputStream(file)) {
            signature = MinisignSigner.sign(fleet.key().secretKey(), in, FILE, comment, untrusted).encode();
        }
        Files.write(file.resolveSibling(FILE + ".minisig"), signature);
        return signature;
    }

    /** The same file with one character of the trusted comment changed: the global signature no longer verifies. */
    private static byte[] tampered(byte[] signature) {
        String text = new String(signature, StandardCharsets.UTF_8);
        return text.replace("note:xxx", "note:xxy").getBytes(StandardCharsets.UTF_8);
    }

    private static void awaitShared(Fleet fleet, byte[] file, byte[] signature) {
        Eventually.await("the store holds the verified file and its signature sidecar", Duration.ofSeconds(60),
                () -> Arrays.equals(bytes(fleet, Fleet.objectKey(PROJECT, FILE)), file)
                        && Arrays.equals(bytes(fleet, SIDECAR), signature));
    }

    private static byte[] bytes(Fleet fleet, String key) {
        try {
            return fleet.client().getObject(b -> b.bucket(Fleet.BUCKET).key(key), ResponseTransformer.toBytes())
                    .asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    private static boolean exists(Fleet fleet, String key) {
        try {
            fleet.client().headObject(b -> b.bucket(Fleet.BUCKET).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }
}
