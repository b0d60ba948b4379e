package dev.signet.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.provenance.PublisherPin;
import dev.signet.sig.MinisignKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code origin.provenance*}: off by default, the trusted root read and checked at startup, pins validated. */
class ProvenanceSettingsTest {

    @TempDir
    Path dir;
    private Map<String, Object> settings;

    @BeforeEach
    void origin() throws Exception {
        Path key = Files.writeString(dir.resolve("origin.key"),
                MinisignKeyPair.generate(new SecureRandom()).secretKey().toFileText(null));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        settings = new HashMap<>();
        settings.put("role", "origin");
        settings.put("upstream", "https://pypi.org/simple/");
        settings.put("origin.key", key.toString());
    }

    private List<String> errors(Map<String, String> env) {
        try {
            ConfigLoader.load(null, env, settings);
            return List.of();
        } catch (ConfigException e) {
            return e.errors();
        }
    }

    @Test
    void provenanceIsOffByDefault() throws Exception {
        ProvenanceConfig provenance = ConfigLoader.load(null, Map.of(), settings).origin().provenance();
        assertThat(provenance.mode()).isEqualTo(ProvenanceConfig.Mode.OFF);
        assertThat(provenance.verifier()).isNull();
        assertThat(provenance.required("anything")).isFalse();
    }

    @Test
    void verifyUsesTheBundledTrustedRootAndPinsMakeProvenanceRequiredForTheirProject() throws Exception {
        settings.put("origin.provenance", "verify");
        settings.put("origin.provenance-publishers", List.of("Pypi_Attestations=github:trailofbits/pypi-attestations",
                "pypi-attestations=gitlab:trailofbits/mirror"));
        ProvenanceConfig provenance = ConfigLoader.load(null, Map.of(), settings).origin().provenance();
        assertThat(provenance.mode()).isEqualTo(ProvenanceConfig.Mode.VERIFY);
        assertThat(provenance.verifier()).isNotNull();
        assertThat(provenance.trustedRootSource()).contains("bundled");
        assertThat(provenance.pins("pypi-attestations")).containsExactly(
                PublisherPin.parse("github:trailofbits/pypi-attestations"), PublisherPin.parse("gitlab:trailofbits/mirror"));
        assertThat(provenance.required("pypi-attestations")).isTrue();
        assertThat(provenance.required("requests")).isFalse();
    }

    @Test
    void theEnvironmentSetsTheModeAndTheTrustedRoot() throws Exception {
        Path root = dir.resolve("trusted_root.json");
        try (var in = dev.signet.provenance.ProvenanceVerifier.class
                .getResourceAsStream(dev.signet.provenance.ProvenanceVerifier.BUNDLED_TRUSTED_ROOT)) {
            Files.copy(in, root);
        }
        ProvenanceConfig provenance = ConfigLoader.load(null, Map.of("SIGNET_ORIGIN_PROVENANCE", "require",
                "SIGNET_ORIGIN_PROVENANCE_TRUSTED_ROOT", root.toString()), settings).origin().provenance();
        assertThat(provenance.mode()).isEqualTo(ProvenanceConfig.Mode.REQUIRE);
        assertThat(provenance.trustedRootSource()).isEqualTo(root.toString());
        assertThat(provenance.required("requests")).isTrue();
    }

    @Test
    void everyProblemIsReportedAtOnce() throws Exception {
        settings.put("origin.provenance", "sometimes");
        settings.put("origin.provenance-publishers", List.of("requests", "flask=bitbucket:pallets/flask"));
        settings.put("origin.page-expiry", "soon");
        assertThat(errors(Map.of())).anySatisfy(e -> assertThat(e).startsWith("origin.provenance: expected off, verify"))
                .anySatisfy(e -> assertThat(e).startsWith("origin.provenance-publishers: 'requests' is not PROJECT="))
                .anySatisfy(e -> assertThat(e).startsWith("origin.provenance-publishers: 'bitbucket:pallets/flask'"))
                .anySatisfy(e -> assertThat(e).startsWith("origin.page-expiry: "));
    }

    @Test
    void anUnreadableOrForeignTrustedRootIsAStartupError() throws Exception {
        settings.put("origin.provenance", "verify");
        settings.put("origin.provenance-trusted-root", dir.resolve("absent.json").toString());
        assertThat(errors(Map.of())).anySatisfy(e -> assertThat(e)
                .isEqualTo("origin.provenance-trusted-root: " + dir.resolve("absent.json") + ": no such file"));
        Path notARoot = Files.writeString(dir.resolve("not-a-root.json"), "{\"mediaType\": \"something else\"}");
        settings.put("origin.provenance-trusted-root", notARoot.toString());
        assertThat(errors(Map.of())).anySatisfy(e -> assertThat(e)
                .startsWith("origin.provenance-trusted-root: " + notARoot + ": not a usable Sigstore trusted root"));
    }
}
