package dev.signet.server.origin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.events.SignetListener;
import dev.signet.publish.IndexPublisher;
import dev.signet.publish.PublishOptions;
import dev.signet.publish.PublishProgress;
import dev.signet.publish.PublishRequest;
import dev.signet.server.SignetServer;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.StaticIndexServer;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.HttpsPypi;
import dev.signet.server.testing.JsonIndexServer;
import dev.signet.server.testing.Minisign;
import dev.signet.server.testing.SignetProcess;
import dev.signet.sig.MinisignKeyPair;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PEP 740 provenance through running signing origins. An HTTPS index with a test CA stands in for PyPI: real sdists
 * with their real provenance (signed by Sigstore's public-good instance; proxy-core's test resources, README.md
 * there) linked from its JSON pages and served by an Integrity API, and a wheel without provenance. One origin runs
 * with {@code origin.provenance: verify}, one with {@code require}; both offline against the bundled trusted root.
 */
class ProvenanceOriginIT {

    /** The real assets, shared with proxy-core's ProvenanceVerifierTest (tests run in the module's directory). */
    private static final Path ASSETS = Path.of("..", "proxy-core", "src", "test", "resources", "dev", "signet",
            "provenance");
    private static final String ATTESTED = "pypi_attestations-0.0.19.tar.gz";
    private static final String TAMPERED = "gitlab_oidc_project-0.0.3.tar.gz";
    private static final WheelBuilder BARE = WheelBuilder.wheel("noprovenance", "1.0.0").padding(10_000, 51);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static HttpsPypi upstream;
    static StaticIndexServer files;
    static JsonIndexServer pypi;
    static Minisign originKey;
    static SignetServer verifying;
    static SignetServer requiring;
    static Path caFile;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path staging = Files.createDirectories(dir.resolve("staging"));
        Files.copy(ASSETS.resolve(ATTESTED), staging.resolve(ATTESTED));
        Files.copy(ASSETS.resolve(TAMPERED), staging.resolve(TAMPERED));
        Path root = dir.resolve("pypi");
        // The upstream's own minisign signatures play no part: the origin checks sha256 hashes (and provenance).
        MinisignKeyPair upstreamKey = MinisignKeyPair.generate(new SecureRandom());
        new IndexPublisher(root, new PublishOptions(new MinisignArtifactSigner(upstreamKey.secretKey()),
                Optional.empty(), false, PublishOptions.DEFAULT_EXPIRES, 1, InstantSource.system(),
                PublishProgress.NONE)).publish(PublishRequest.add(List.of(staging.resolve(ATTESTED),
                        staging.resolve(TAMPERED), BARE.writeTo(staging))));

        upstream = HttpsPypi.start(dir, root, "localhost");
        files = upstream.files();
        pypi = upstream.pages();
        caFile = upstream.certs().caFile();
        URI integrity = URI.create("https://127.0.0.1:" + upstream.port() + "/");
        pypi.offerProvenance(ATTESTED, Files.readAllBytes(ASSETS.resolve(ATTESTED + ".provenance")), integrity);
        pypi.offerProvenance(TAMPERED, tamperedProvenance(), integrity);

        originKey = Minisign.generate(dir.resolve("origin-key"));
        verifying = origin("verify");
        requiring = origin("require");
    }

    /** The real GitLab attestation with one bit of its signature flipped, under its real publisher. */
    private static byte[] tamperedProvenance() throws Exception {
        ObjectNode attestation = (ObjectNode) JSON.readTree(ASSETS.resolve(TAMPERED + ".publish.attestation").toFile());
        ObjectNode envelope = (ObjectNode) attestation.get("envelope");
        byte[] signature = Base64.getDecoder().decode(envelope.get("signature").asText());
        signature[10] ^= 1;
        envelope.put("signature", Base64.getEncoder().encodeToString(signature));
        return ("{\"version\":1,\"attestation_bundles\":[{\"publisher\":{\"kind\":\"GitLab\",\"repository\":"
                + "\"facutuesca/gitlab-oidc-project\",\"workflow_filepath\":\".gitlab-ci.yml\"},\"attestations\":["
                + JSON.writeValueAsString(attestation) + "]}]}").getBytes(StandardCharsets.UTF_8);
    }

    private static SignetServer origin(String provenance) throws Exception {
        Map<String, Object> settings = upstream.originSettings(originKey.secretKeyFile(), dir.resolve("origin-" + provenance));
        settings.put("origin.allowed-file-hosts", List.of("localhost"));
        settings.put("origin.provenance", provenance);
        return SignetServer.start(ConfigLoader.load(null, Map.of(), settings), SignetListener.NONE,
                InstantSource.system());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {verifying, requiring, upstream}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Test
    void aFileWithValidProvenanceIsServedAndSignedByTheOrigin() throws Exception {
        String integrityPath = "/integrity/pypi-attestations/0.0.19/" + ATTESTED + "/provenance";
        int fetchedBefore = pypi.requestCount(integrityPath);
        for (SignetServer origin : List.of(verifying, requiring)) {
            double refusedBefore = origin.metrics().registry().find("signet.origin.refusals").counters().stream()
                    .mapToDouble(c -> c.count()).sum();
            HttpResponse<byte[]> file = get(origin, "packages/" + ATTESTED);
            assertThat(file.statusCode()).as(new String(file.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(file.body()).isEqualTo(Files.readAllBytes(ASSETS.resolve(ATTESTED)));
            HttpResponse<byte[]> signature = get(origin, "packages/" + ATTESTED + ".minisig");
            assertThat(signature.statusCode()).isEqualTo(200);
            Path fetched = Files.write(dir.resolve("fetched-" + origin.address().getPort()), file.body());
            Path sig = Files.write(dir.resolve("fetched-" + origin.address().getPort() + ".minisig"), signature.body());
            assertThat(originKey.verify(fetched, sig).exitCode()).isZero();
            assertThat(origin.metrics().registry().find("signet.origin.refusals").counters().stream()
                    .mapToDouble(c -> c.count()).sum()).isEqualTo(refusedBefore);
        }
        assertThat(pypi.requestCount(integrityPath) - fetchedBefore).as("each origin fetched the provenance once")
                .isEqualTo(2);
    }

    @Test
    void tamperedProvenanceIsRefusedWithTheReasonAndNothingIsPublished() throws Exception {
        HttpResponse<byte[]> refused = get(verifying, "packages/" + TAMPERED);
        String reason = new String(refused.body(), StandardCharsets.UTF_8);
        assertThat(refused.statusCode()).as(reason).isEqualTo(403);
        assertThat(refused.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(reason.strip()).contains("refused to sign " + TAMPERED).contains("provenance signature check failed")
                .doesNotContain("\n");
        assertThat(get(verifying, "packages/" + TAMPERED + ".minisig").statusCode()).isEqualTo(403);
        assertThat(refusals(verifying, "provenance_signature")).isGreaterThanOrEqualTo(1.0);
        assertNothingPublished("verify", TAMPERED);
    }

    @Test
    void aFileWithoutProvenanceIsServedUnderVerifyAndRefusedUnderRequire() throws Exception {
        String bare = BARE.fileName();
        HttpResponse<byte[]> served = get(verifying, "packages/" + bare);
        assertThat(served.statusCode()).as(new String(served.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(get(verifying, "packages/" + bare + ".minisig").statusCode()).isEqualTo(200);

        String page = new String(get(requiring, "simple/noprovenance/index.json").body(), StandardCharsets.UTF_8);
        assertThat(page).as("left off the signed page").doesNotContain(bare);
        HttpResponse<byte[]> refused = get(requiring, "packages/" + bare);
        String reason = new String(refused.body(), StandardCharsets.UTF_8);
        assertThat(refused.statusCode()).as(reason).isEqualTo(403);
        assertThat(refused.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(reason).contains(bare).contains("no PEP 740 provenance");
        assertNothingPublished("require", bare);
        assertThat(files.requestCount("/packages/" + bare)).as("fetched by the verifying origin only").isEqualTo(1);
    }

    @Test
    void provenanceTheIntegrityApiNoLongerHasIsMissingRefusedUnderRequire() throws Exception {
        // Listed with provenance when the page was read, 404 from the Integrity API when the file is fetched.
        String gitlabFile = TAMPERED;
        pypi.withdrawProvenance(gitlabFile);
        try {
            HttpResponse<byte[]> refused = get(requiring, "packages/" + gitlabFile);
            String reason = new String(refused.body(), StandardCharsets.UTF_8);
            assertThat(refused.statusCode()).as(reason).isEqualTo(403);
            assertThat(reason).contains("the upstream has no PEP 740 provenance");
            assertThat(refusals(requiring, "provenance_missing")).isGreaterThanOrEqualTo(1.0);
            assertNothingPublished("require", gitlabFile);
        } finally {
            pypi.offerProvenance(gitlabFile, tamperedProvenance(), URI.create("https://127.0.0.1:" + upstream.port() + "/"));
        }
    }

    @Test
    void thePackagedJarVerifiesProvenanceToo() throws Exception {
        // The shaded jar must carry everything sigstore-java loads (it once lacked Bouncy Castle's timestamp classes).
        try (SignetProcess origin = SignetProcess.start(List.of("-Xmx256m"), List.of("serve",
                "--upstream", upstream.simpleUrl(), "--listen", "127.0.0.1:0",
                "--admin-listen", "127.0.0.1:0", "--cache-dir", dir.resolve("origin-jar").toString(),
                "--set", "role=origin", "--set", "origin.key=" + originKey.secretKeyFile(),
                "--set", "upstream-ca-bundle=" + caFile, "--set", "origin.allowed-file-hosts=localhost",
                "--set", "origin.provenance=verify"))) {
            HttpResponse<byte[]> file = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + origin.port()
                    + "/packages/" + ATTESTED)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(file.statusCode()).as(String.join("\n", origin.output())).isEqualTo(200);
            assertThat(file.body()).isEqualTo(Files.readAllBytes(ASSETS.resolve(ATTESTED)));
            assertThat(origin.output()).anyMatch(line -> line.contains("origin signed " + ATTESTED)
                    && line.contains("PEP 740 provenance of [GitHub trailofbits/pypi-attestations release.yml]"));
        }
    }

    private static void assertNothingPublished(String origin, String name) throws Exception {
        Path packages = dir.resolve("origin-" + origin + "/origin/packages");
        assertThat(packages.resolve(name)).doesNotExist();
        assertThat(packages.resolve(name + ".minisig")).doesNotExist();
        if (Files.isDirectory(packages)) {
            try (Stream<Path> left = Files.list(packages)) {
                assertThat(left.map(p -> p.getFileName().toString())).as("no temp file left")
                        .noneMatch(n -> n.contains(name) && !n.equals(name));
            }
        }
    }

    private static double refusals(SignetServer origin, String reason) {
        var counter = origin.metrics().registry().find("signet.origin.refusals").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static HttpResponse<byte[]> get(SignetServer origin, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + origin.address().getPort() + "/")
                .resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
