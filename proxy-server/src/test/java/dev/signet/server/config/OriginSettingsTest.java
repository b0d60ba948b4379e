package dev.signet.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.sig.MinisignKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code role: origin} and the {@code origin.*} settings: the signing key is checked at startup and never shown. */
class OriginSettingsTest {

    @TempDir
    Path dir;

    private final MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());

    private Path keyFile(String mode, char[] password) throws Exception {
        Path file = Files.writeString(dir.resolve("origin-" + mode + ".key"), key.secretKey().toFileText(password));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static Map<String, Object> origin(Object keyFile) {
        Map<String, Object> s = new HashMap<>();
        s.put("role", "origin");
        s.put("upstream", "https://pypi.org/simple/");
        if (keyFile != null) {
            s.put("origin.key", keyFile.toString());
        }
        return s;
    }

    private static List<String> errorsOf(Map<String, String> env, Map<String, Object> cli) {
        try {
            ConfigLoader.load(null, env, cli);
            return List.of();
        } catch (ConfigException e) {
            return e.errors();
        }
    }

    @Test
    void anOriginNeedsNoTrustedKeysAndReadsItsKeyWithTheDefaults() throws Exception {
        Map<String, Object> settings = origin(keyFile("rw-------", null));
        settings.put("origin.allowed-file-hosts", List.of("files.pythonhosted.org"));
        OriginConfig o = ConfigLoader.load(null, Map.of(), settings).origin();
        assertThat(o.isOrigin()).isTrue();
        assertThat(o.key().keyId()).isEqualTo(key.secretKey().keyId());
        assertThat(o.allowedFileHosts()).containsExactly("files.pythonhosted.org");
        assertThat(o.pageExpiry()).isEqualTo(Duration.ofDays(1));
        assertThat(o.refreshBefore()).isEqualTo(Duration.ofHours(6));
        assertThat(o.pageMaxAge()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void anEdgeIsTheDefaultAndStillNeedsTrustedKeys() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("upstream", "https://pypi.org/simple/");
        assertThat(errorsOf(Map.of(), settings)).anyMatch(e -> e.startsWith("trusted-keys: "));
    }

    @Test
    void aKeyFileOthersMayReadIsRefused() throws Exception {
        assertThat(errorsOf(Map.of(), origin(keyFile("rw-r--r--", null))))
                .anyMatch(e -> e.startsWith("origin.key: ") && e.contains("chmod 600"));
    }

    @Test
    void theKeyMayComeFromTheEnvironmentButNotFromBothPlaces() throws Exception {
        Map<String, String> env = Map.of(OriginSection.KEY_VARIABLE, key.secretKey().toFileText(null));
        assertThat(ConfigLoader.load(null, env, origin(null)).origin().keySource()).isEqualTo(OriginSection.KEY_VARIABLE);
        assertThat(errorsOf(env, origin(keyFile("rw-------", null)))).anyMatch(e -> e.contains("not both"));
        assertThat(errorsOf(Map.of(), origin(null))).anyMatch(e -> e.contains("needs a signing key"));
    }

    @Test
    void checkConfigNeverShowsTheKeyFromTheEnvironmentOrTheFile() throws Exception {
        String text = key.secretKey().toFileText(null);
        String keyLine = text.lines().filter(l -> !l.startsWith("untrusted comment")).findFirst().orElseThrow();
        String fromEnv = ConfigLoader.describe(null, Map.of(OriginSection.KEY_VARIABLE, text), origin(null));
        assertThat(fromEnv).doesNotContain(keyLine).contains("role: origin");
        String fromFile = ConfigLoader.describe(null, Map.of(), origin(keyFile("rw-------", null)));
        assertThat(fromFile).doesNotContain(keyLine);
    }

    @Test
    void everyProblemIsReportedAtOnce() throws Exception {
        Map<String, Object> settings = origin(dir.resolve("missing.key"));
        settings.put("upstream", "http://plain.example/simple/");
        settings.put("origin.page-refresh-before", "2d");
        settings.put("origin.allowed-file-hosts", List.of("https://files.example/"));
        assertThat(errorsOf(Map.of(), settings)).anyMatch(e -> e.startsWith("upstream: role: origin needs an https"))
                .anyMatch(e -> e.startsWith("origin.key: ") && e.contains("no such file"))
                .anyMatch(e -> e.startsWith("origin.page-refresh-before: "))
                .anyMatch(e -> e.startsWith("origin.allowed-file-hosts: "));
    }
}
