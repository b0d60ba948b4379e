package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.index.DistributionFile;
import dev.signet.index.JsonIndexParser;
import dev.signet.index.ProjectPage;
import dev.signet.server.demo.DemoProjects;
import dev.signet.server.demo.Fault;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.testing.Pip;
import dev.signet.server.testing.Processes;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PEP 658 metadata files: served only verified, advertised only when their signature pre-checks. */
class MetadataIT {

    private static final String LIB = "signet_demo_lib-1.2.0-py3-none-any.whl";
    private static final String UTILS = "signet_demo_utils-1.0.0-py3-none-any.whl";
    private static final String JSON = "application/vnd.pypi.simple.v1+json";
    /**
     * These tests are about which files are advertised once their signatures are checked; a page view normally waits
     * at most metadata-check-wait for its checks (MetadataPrecheckIT), which a loaded test machine could overrun.
     */
    static final Map<String, Object> PRECHECK_WAITS = Map.of("metadata-check-wait", "1m");

    @ParameterizedTest(name = "json upstream: {0}")
    @ValueSource(booleans = {false, true})
    void pipFetchesVerifiedMetadataThroughSignet(boolean jsonUpstream, @TempDir Path dir) throws Exception {
        try (SignetFixture f = fixture(dir, jsonUpstream)) {
            ProjectPage page = jsonPage(f, "signet-demo-lib");
            assertThat(page.file(LIB).orElseThrow().coreMetadata().hashes())
                    .containsEntry("sha256", f.index().sha256(LIB + ".metadata"));

            install(f, dir.resolve("target"));
            assertThat(f.upstream().requestCount("/packages/" + LIB + ".metadata")).isEqualTo(1);
            assertThat(f.upstream().requestCount("/packages/" + LIB + ".metadata.minisig")).isPositive();
            assertThat(f.cachedFile("signet-demo-lib", LIB + ".metadata")).exists();

            HttpResponse<byte[]> metadata = f.get("/packages/signet-demo-lib/" + LIB + ".metadata");
            assertThat(metadata.statusCode()).isEqualTo(200);
            assertThat(metadata.body()).isEqualTo(f.upstreamBytes(LIB + ".metadata"));
            assertThat(metadata.headers().firstValue("content-encoding")).isEmpty();
        }
    }

    @Test
    void metadataWithMissingOrWrongSignatureIsNotAdvertisedAndPipUsesTheWheel(@TempDir Path dir) throws Exception {
        try (SignetFixture f = fixture(dir, false)) {
            f.upstream().override("/packages/" + UTILS + ".metadata.minisig", Fault.status(404));
            // A valid signature, but for another file: file: names the lib's metadata.
            byte[] otherSignature = Files.readAllBytes(f.index().root().resolve("packages/" + LIB + ".metadata.minisig"));
            String app = "signet_demo_app-1.0.0-py3-none-any.whl";
            f.upstream().override("/packages/" + app + ".metadata.minisig", Fault.body(otherSignature));

            assertThat(jsonPage(f, "signet-demo-utils").file(UTILS).orElseThrow().coreMetadata()).isNull();
            assertThat(jsonPage(f, "signet-demo-app").file(app).orElseThrow().coreMetadata()).isNull();
            assertThat(jsonPage(f, "signet-demo-lib").file(LIB).orElseThrow().coreMetadata()).isNotNull();
            String html = new String(f.get("/simple/signet-demo-utils/", "Accept", "text/html").body());
            String utilsLink = html.lines().filter(line -> line.contains(UTILS)).findFirst().orElseThrow();
            assertThat(utilsLink).doesNotContain("data-core-metadata").doesNotContain("data-dist-info-metadata");
            assertThat(html).as("the other version's signed metadata is still advertised").contains("data-core-metadata");

            install(f, dir.resolve("target"));
            assertThat(f.upstream().requestCount("/packages/" + UTILS + ".metadata")).isZero();
            assertThat(f.upstream().requestCount("/packages/" + app + ".metadata")).isZero();
            assertThat(f.upstream().requestCount("/packages/" + UTILS)).isEqualTo(1);
        }
    }

    @Test
    void directRequestForUnsignedMetadataIsRefusedAndNothingCached(@TempDir Path dir) throws Exception {
        try (SignetFixture f = fixture(dir, false)) {
            f.upstream().override("/packages/" + UTILS + ".metadata.minisig", Fault.status(404));
            HttpResponse<byte[]> refused = f.get("/packages/signet-demo-utils/" + UTILS + ".metadata");
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(new String(refused.body())).contains(UTILS + ".metadata").contains("no signature");
            assertThat(f.upstream().requestCount("/packages/" + UTILS + ".metadata")).as("no body fetched").isZero();

            byte[] tampered = "Metadata-Version: 2.1\nName: signet-demo-utils\nVersion: 1.0.0\nRequires-Dist: evil\n".getBytes();
            f.upstream().clearOverrides();
            f.upstream().override("/packages/" + UTILS + ".metadata", Fault.body(tampered));
            HttpResponse<byte[]> mismatch = f.get("/packages/signet-demo-utils/" + UTILS + ".metadata");
            assertThat(mismatch.statusCode()).isEqualTo(403);
            assertThat(f.cacheFiles()).isEmpty();

            assertThat(f.get("/packages/signet-demo-utils/no-such-1.0-py3-none-any.whl.metadata").statusCode()).isEqualTo(404);
        }
    }

    /**
     * Offline, the metadata pre-check would fetch signatures upstream: pages then advertise no metadata (installers read
     * it from the wheel) and the upstream is never asked for anything.
     */
    @Test
    void offlinePagesAdvertiseNoMetadataAndContactNoUpstream(@TempDir Path dir) throws Exception {
        try (SignetFixture f = fixture(dir, false)) {
            assertThat(jsonPage(f, "signet-demo-lib").file(LIB).orElseThrow().coreMetadata()).isNotNull();
            f.restart(Map.of("offline", "true"));
            f.upstream().resetCounts();

            assertThat(jsonPage(f, "signet-demo-lib").file(LIB).orElseThrow().coreMetadata()).isNull();
            assertThat(f.get("/packages/signet-demo-lib/" + LIB + ".metadata").statusCode()).isEqualTo(504);
            assertThat(f.upstream().totalRequestCount()).isZero();
        }
    }

    private static SignetFixture fixture(Path dir, boolean json) throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        return SignetFixture.start(dir, DemoProjects.demoWheels(), new MinisignArtifactSigner(key.secretKey()),
                key.publicKey().encoded(), PRECHECK_WAITS, new SignetFixture.Options(true, json, Map.of()));
    }

    private static ProjectPage jsonPage(SignetFixture f, String project) throws Exception {
        HttpResponse<byte[]> response = f.get("/simple/" + project + "/", "Accept", JSON);
        assertThat(response.statusCode()).isEqualTo(200);
        return JsonIndexParser.parseProject(response.body(), URI.create(f.simpleUrl() + project + "/"));
    }

    private static void install(SignetFixture f, Path target) throws Exception {
        Files.createDirectories(target);
        Processes.Result pip = Pip.install(target.getParent(), f.simpleUrl(), target, List.of(), "signet-demo-app");
        assertThat(pip.exitCode()).as(pip.output()).isZero();
        assertThat(Files.readString(target.resolve("signet_demo_lib/__init__.py"))).contains("\"1.2.0\"");
    }

    static List<String> filenames(ProjectPage page) {
        return page.files().stream().map(DistributionFile::filename).toList();
    }
}
