package dev.signet.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    private static final String KEY = "RWToHZEzNE8PLs53lNYF/LLnyAhz54PlV5wlyW0Zas6+nfEn5wTBXL05";
    /** Distinct valid keys, to tell which layer a setting came from (keys are parsed while the config is checked). */
    private static final String KEY_A = newKey();
    private static final String KEY_B = newKey();
    private static final String KEY_C = newKey();
    private static final String KEY_FILE = newKey();

    private static String newKey() {
        return dev.signet.sig.MinisignKeyPair.generate(new java.security.SecureRandom()).publicKey().encoded();
    }
    private static final Map<String, Object> MINIMAL = Map.of("upstream", "http://index.test/simple/", "trusted-keys", List.of(KEY));

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("signet.yaml"), text);
    }

    private static List<String> errorsOf(Path file, Map<String, String> env, Map<String, Object> overrides) {
        try {
            ConfigLoader.load(file, env, overrides);
        } catch (ConfigException e) {
            return e.errors();
        }
        throw new AssertionError("configuration was accepted");
    }

    @Test
    void memoryTierSettings() throws ConfigException {
        SignetConfig off = ConfigLoader.load(null, Map.of("SIGNET_MEMORY_CACHE_SIZE", "0",
                "SIGNET_MEMORY_CACHE_MAX_OBJECT", "256KiB"), MINIMAL);
        assertThat(off.cache().memorySize()).isZero();
        assertThat(off.cache().memoryMaxObject()).isEqualTo(256L << 10);
        assertThat(errorsOf(null, Map.of("SIGNET_MEMORY_CACHE_SIZE", "lots", "SIGNET_MEMORY_CACHE_MAX_OBJECT", "2GiB"),
                MINIMAL)).containsExactlyInAnyOrder(
                "memory-cache-size: not a size (examples: 1048576, 512KiB, 10GiB, 1GB): lots",
                "memory-cache-max-object: must be at most 1GiB, got 2GiB");
        assertThat(errorsOf(null, Map.of("SIGNET_MEMORY_CACHE_MAX_OBJECT", "0"), MINIMAL)).hasSize(1);
    }

    @Test
    void fillRedirectAfterDefaultsToTenSecondsTakesOffAndIsBounded() throws ConfigException {
        assertThat(ConfigLoader.load(null, Map.of(), MINIMAL).fillRedirects().redirectAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ConfigLoader.load(null, Map.of("SIGNET_FILL_REDIRECT_AFTER", "off"), MINIMAL).fillRedirects().redirectAfter())
                .isZero();
        assertThat(ConfigLoader.load(null, Map.of("SIGNET_FILL_REDIRECT_AFTER", "0s"), MINIMAL).fillRedirectAfter()).isZero();
        assertThat(ConfigLoader.load(null, Map.of("SIGNET_FILL_REDIRECT_AFTER", "4s"), MINIMAL).fillRedirectAfter())
                .isEqualTo(Duration.ofSeconds(4));
        assertThat(errorsOf(null, Map.of("SIGNET_FILL_REDIRECT_AFTER", "500ms"), MINIMAL))
                .containsExactly("fill-redirect-after: expected off, 0s, or 1s to 10m, got 500ms");
        assertThat(errorsOf(null, Map.of("SIGNET_FILL_REDIRECT_AFTER", "1h"), MINIMAL)).hasSize(1);
        assertThat(errorsOf(null, Map.of("SIGNET_FILL_REDIRECT_AFTER", "10"), MINIMAL)).hasSize(1);
    }

    @Test
    void defaultsApplyWhenOnlyTheRequiredSettingsAreGiven() throws ConfigException {
        SignetConfig c = ConfigLoader.load(null, Map.of(), MINIMAL);
        assertThat(c.listen()).isEqualTo(InetSocketAddress.createUnresolved("127.0.0.1", 8080));
        assertThat(c.upstream()).isEqualTo(URI.create("http://index.test/simple/"));
        assertThat(c.trustedKeys()).containsExactly(TrustedKeyConfig.of(KEY));
        assertThat(c.revokedKeys()).isEmpty();
        assertThat(c.requireFileName()).isTrue();
        assertThat(c.signatureUrl()).isEqualTo("{url}.minisig");
        assertThat(c.cacheDir()).isEqualTo(Path.of("./signet-cache"));
        assertThat(c.indexTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.maxPageSize()).isEqualTo(64L << 20);
        assertThat(c.cache().memorySize()).isEqualTo(64L << 20);
        assertThat(c.cache().memoryMaxObject()).isEqualTo(1L << 20);
        assertThat(c.upstreamTimeouts().connect()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.upstreamTimeouts().firstByte()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.upstreamTimeouts().idle()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.upstreamTimeouts().total()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.clientIdleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.workerThreads()).isZero();
        assertThat(c.ioThreads()).isZero();
    }

    @Test
    void environmentOverridesFileAndCommandLineOverridesBoth() throws Exception {
        Path file = yaml("""
                upstream: http://from-file.test/simple/
                trusted-keys: [%s]
                index-ttl: 1m
                listen: 127.0.0.1:1111
                cache-dir: /from/file
                upstream-timeouts:
                  connect: 1s
                  idle: 2s
                worker-threads: 3
                """.formatted(KEY));
        Map<String, String> env = Map.of(
                "SIGNET_INDEX_TTL", "2m",
                "SIGNET_LISTEN", "127.0.0.1:2222",
                "SIGNET_UPSTREAM_TIMEOUTS_CONNECT", "3s",
                "SIGNET_WORKER_THREADS", "5",
                "PATH", "/usr/bin");
        Map<String, Object> cli = Map.of("listen", "127.0.0.1:3333", "upstream-timeouts.connect", "4s");

        SignetConfig c = ConfigLoader.load(file, env, cli);

        assertThat(c.upstream()).as("file only").isEqualTo(URI.create("http://from-file.test/simple/"));
        assertThat(c.cacheDir()).as("file only").isEqualTo(Path.of("/from/file"));
        assertThat(c.upstreamTimeouts().idle()).as("file only, nested").isEqualTo(Duration.ofSeconds(2));
        assertThat(c.indexTtl()).as("env over file").isEqualTo(Duration.ofMinutes(2));
        assertThat(c.workerThreads()).as("env over file").isEqualTo(5);
        assertThat(c.listen().getPort()).as("cli over env over file").isEqualTo(3333);
        assertThat(c.upstreamTimeouts().connect()).as("cli over env over file, nested").isEqualTo(Duration.ofSeconds(4));
        assertThat(c.upstreamTimeouts().firstByte()).as("default").isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void listSettingsComeCommaSeparatedFromTheEnvironmentAndAsListsFromTheCommandLine() throws Exception {
        Path file = yaml("upstream: http://x.test/simple/\ntrusted-keys: [" + KEY_FILE + "]\n");
        Path keyFile = Files.writeString(dir.resolve("b.pub"), "untrusted comment: b\n" + KEY_B + "\n");
        SignetConfig fromEnv = ConfigLoader.load(file,
                Map.of("SIGNET_TRUSTED_KEYS", KEY_A + ", @" + keyFile, "SIGNET_REVOKED_KEYS", "0123456789ABCDEF"), Map.of());
        assertThat(fromEnv.trustedKeys()).extracting(TrustedKeyConfig::key).containsExactly(KEY_A, "@" + keyFile);
        assertThat(fromEnv.revokedKeys()).containsExactly("0123456789ABCDEF");

        SignetConfig fromCli = ConfigLoader.load(file, Map.of("SIGNET_TRUSTED_KEYS", KEY_A),
                Map.of("trusted-keys", List.of(KEY_C)));
        assertThat(fromCli.trustedKeys()).extracting(TrustedKeyConfig::key).containsExactly(KEY_C);
    }

    @Test
    void emptyCommandLineValuesDoNotOverride() throws Exception {
        Path file = yaml("upstream: http://x.test/simple/\ntrusted-keys: [" + KEY_FILE + "]\n");
        Map<String, Object> cli = new java.util.HashMap<>();
        cli.put("upstream", null);
        cli.put("trusted-keys", List.of());
        SignetConfig c = ConfigLoader.load(file, Map.of(), cli);
        assertThat(c.upstream().getHost()).isEqualTo("x.test");
        assertThat(c.trustedKeys()).extracting(TrustedKeyConfig::key).containsExactly(KEY_FILE);
    }

    @Test
    void trustedKeyMappingCarriesItsOptions() throws Exception {
        Path file = yaml("""
                upstream: https://x.test/simple/
                trusted-keys:
                  - %s
                  - key: %s
                    allow-legacy: yes
                    legacy-max-size: 1MiB
                    projects: [internal-*, acme]
                """.formatted(KEY_A, KEY_B));
        SignetConfig c = ConfigLoader.load(file, Map.of(), Map.of());
        assertThat(c.trustedKeys()).containsExactly(TrustedKeyConfig.of(KEY_A),
                new TrustedKeyConfig(KEY_B, true, 1L << 20, List.of("internal-*", "acme")));
    }

    @Test
    void theDocumentedExampleConfigurationLoadsAndItsKeyParses() throws Exception {
        Path example = Path.of("..", "config", "signet.yaml").toAbsolutePath().normalize();
        assertThat(example).as("run from proxy-server/ (Maven's working directory)").exists();

        SignetConfig c = ConfigLoader.load(example, Map.of(), Map.of());

        assertThat(c.upstream().getScheme()).isEqualTo("https");
        assertThat(c.trustedKeys()).hasSize(1);
        assertThat(KeyringFactory.build(c.trustedKeys(), c.revokedKeys(), c.requireFileName())).isNotNull();
        // The example states the defaults: loading it must give what loading nothing gives.
        SignetConfig defaults = ConfigLoader.load(null, Map.of(),
                Map.of("upstream", c.upstream().toString(), "trusted-keys", List.of(c.trustedKeys().get(0).key())));
        assertThat(c).isEqualTo(defaults);
    }

    @Test
    void theDocumentedExampleNamesEverySettingAndItsEnvironmentVariable() throws IOException {
        String text = Files.readString(Path.of("..", "config", "signet.yaml"));
        for (String key : ConfigLoader.DEFAULTS.keySet()) {
            String leaf = key.substring(key.lastIndexOf('.') + 1);
            assertThat(text).as(key).containsPattern("(?m)^\\s*" + leaf + ":");
            assertThat(text).as(key).contains(ConfigLoader.envName(key));
        }
        for (String option : List.of("key:", "allow-legacy:", "legacy-max-size:", "projects:")) {
            assertThat(text).contains(option);
        }
    }

    @Test
    void envNameUpperCasesAndReplacesDashesAndDots() {
        assertThat(ConfigLoader.envName("upstream-timeouts.first-byte")).isEqualTo("SIGNET_UPSTREAM_TIMEOUTS_FIRST_BYTE");
        assertThat(ConfigLoader.envName("listen")).isEqualTo("SIGNET_LISTEN");
    }

    @Test
    void aSectionWithEverySettingCommentedOutIsEmpty() throws Exception {
        Path file = yaml("upstream: http://x.test/\ntrusted-keys: [" + KEY_A + "]\nupstream-timeouts:\n  # connect: 5s\n");
        assertThat(ConfigLoader.load(file, Map.of(), Map.of()).upstreamTimeouts().connect()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void unknownSettingInTheFile() throws IOException {
        Path file = yaml("upstream: http://x.test/\ntrusted-keys: [" + KEY_A + "]\nindex_ttl: 5m\nupstream-timeouts:\n  conect: 1s\n");
        assertThat(errorsOf(file, Map.of(), Map.of())).containsExactly(
                file + ":3:1: unknown setting 'index_ttl' (did you mean index-ttl?)",
                file + ":5:3: unknown setting 'upstream-timeouts.conect' (did you mean upstream-timeouts.connect?)");
    }

    @Test
    void unknownEnvironmentVariable() {
        assertThat(errorsOf(null, Map.of("SIGNET_INDEX_TL", "5m", "HOME", "/root"), MINIMAL))
                .containsExactly("unknown environment variable SIGNET_INDEX_TL (did you mean SIGNET_INDEX_TTL?)");
    }

    @Test
    void unknownCommandLineSetting() {
        Map<String, Object> cli = new java.util.HashMap<>(MINIMAL);
        cli.put("ttl", "5m");
        assertThat(errorsOf(null, Map.of(), cli)).containsExactly("unknown setting from the command line: ttl");
    }

    @Test
    void missingUpstreamAndTrustedKeys() {
        assertThat(errorsOf(null, Map.of(), Map.of())).containsExactly(
                "upstream: required (set it in the config file, SIGNET_UPSTREAM or the command line)",
                "trusted-keys: at least one trusted key is required (a minisign public key RW... or @path/to/key.pub)");
    }

    @Test
    void emptyTrustedKeyList() {
        assertThat(errorsOf(null, Map.of("SIGNET_TRUSTED_KEYS", " , "), Map.of("upstream", "http://x.test/")))
                .containsExactly("trusted-keys: at least one trusted key is required");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            max-page-size              | banana | max-page-size: not a size (examples: 1048576, 512KiB, 10GiB, 1GB): banana
            max-page-size              | 1.5MiB | max-page-size: not a size (examples: 1048576, 512KiB, 10GiB, 1GB): 1.5MiB
            max-page-size              | 100    | max-page-size: must be between 1KiB and 2GiB, got 100
            max-page-size              | 3GiB   | max-page-size: must be between 1KiB and 2GiB, got 3GiB
            index-ttl                  | banana | index-ttl: not a duration (examples: 500ms, 90s, 10m, 1h, 7d): banana
            index-ttl                  | 30     | index-ttl: not a duration (examples: 500ms, 90s, 10m, 1h, 7d): 30
            upstream-timeouts.connect  | 0s     | upstream-timeouts.connect: must be greater than zero
            upstream-timeouts.total    | 0ms    | upstream-timeouts.total: must be greater than zero
            client-idle-timeout        | 500ms  | client-idle-timeout: must be at least 1s, got 500ms
            listen                     | 8080   | listen: expected HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080, got '8080'
            listen                     | host:  | listen: expected HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080, got 'host:'
            listen                     | h:http | listen: port is not a number in 'h:http'
            listen                     | h:70000| listen: port out of range in 'h:70000'
            upstream                   | ftp://x.test/simple/ | upstream: expected an http:// or https:// URL of a simple index, got 'ftp://x.test/simple/'
            upstream                   | x.test/simple/       | upstream: expected an http:// or https:// URL of a simple index, got 'x.test/simple/'
            upstream                   | http://x y/          | upstream: not a valid URL: http://x y/
            require-file-name          | maybe  | require-file-name: expected true or false, got 'maybe'
            signature-url              | sig    | signature-url: must contain {url} or {filename}, got 'sig'
            worker-threads             | many   | worker-threads: expected a whole number, got 'many'
            io-threads                 | 2000   | io-threads: must be between 0 (automatic) and 1024, got 2000
            revoked-keys               | xyz    | revoked-keys: key id must be 1 to 16 hexadecimal digits: xyz
            """)
    void refusesABadValueWithOneLineNamingTheSetting(String key, String value, String message) {
        Map<String, Object> cli = new java.util.HashMap<>(MINIMAL);
        cli.put(key, value);
        assertThat(errorsOf(null, Map.of(), cli)).containsExactly(message);
    }

    @Test
    void aMappingOrListWhereOneValueBelongsIsRefused() throws IOException {
        Path file = yaml("upstream: [http://a.test/]\nlisten: {host: x}\ntrusted-keys: [" + KEY_A + "]\n");
        assertThat(errorsOf(file, Map.of(), Map.of())).containsExactly(
                "listen: expected a single value, got a mapping", "upstream: expected a single value, got a list");
    }

    @Test
    void badTrustedKeyMappingEntries() throws IOException {
        Path file = yaml("""
                upstream: http://x.test/
                trusted-keys:
                  - key: RWa
                    allow-legacy: sometimes
                    legacy-max-size: lots
                    project: [a]
                  - allow-legacy: true
                  - key: ""
                    legacy-max-size: 2GiB
                  - ""
                """);
        assertThat(errorsOf(file, Map.of(), Map.of())).containsExactly(
                "trusted-keys[0]: unknown setting 'project' (expected key, allow-legacy, legacy-max-size, projects)",
                "trusted-keys[0].allow-legacy: expected true or false, got 'sometimes'",
                "trusted-keys[0].legacy-max-size: not a size (examples: 1048576, 512KiB, 10GiB, 1GB): lots",
                "trusted-keys[1].key: required",
                "trusted-keys[2].key: required",
                "trusted-keys[2].legacy-max-size: must be at most 1GiB, got 2GiB",
                "trusted-keys[3]: empty key");
    }

    @Test
    void trustedKeysAsOneMappingIsRefused() throws IOException {
        Path file = yaml("upstream: http://x.test/\ntrusted-keys:\n  key: RWa\n");
        assertThat(errorsOf(file, Map.of(), Map.of())).containsExactly(
                "trusted-keys: expected a list of keys (write '- key: ...' for a key with options), got a mapping");
    }

    @Test
    void invalidOrUnreadableFile() throws IOException {
        Path bad = yaml("upstream: [unclosed\n");
        assertThat(errorsOf(bad, Map.of(), MINIMAL)).singleElement().asString()
                .startsWith(bad + ":2:1: not valid YAML: ").doesNotContain("\n");
        Path scalar = yaml("just text\n");
        assertThat(errorsOf(scalar, Map.of(), MINIMAL)).containsExactly("config file " + scalar + " must be a mapping of settings");
        Path missing = dir.resolve("absent.yaml");
        assertThat(errorsOf(missing, Map.of(), MINIMAL)).singleElement().asString().startsWith("cannot read config file " + missing);
        Path duplicate = yaml("index-ttl: 1m\nindex-ttl: 2m\n");
        assertThat(errorsOf(duplicate, Map.of(), MINIMAL)).singleElement().asString()
                .startsWith(duplicate + ":2:1: not valid YAML: ").contains("index-ttl");
    }

    @Test
    void logLevelVariablesAreForLogbackNotUnknownSettings() throws Exception {
        SignetConfig c = ConfigLoader.load(null,
                Map.of("SIGNET_LOG_LEVEL", "WARN", "SIGNET_ACCESS_LOG_LEVEL", "OFF", "SIGNET_HEALTH_URL", "http://x/"),
                MINIMAL);
        assertThat(c.trustedKeys()).hasSize(1);
    }

    /** Regression: malformed keys and missing key files were found only when serve started, never by check-config. */
    @Test
    void malformedKeysAndMissingKeyFilesAreReportedWithTheOtherErrors() throws IOException {
        Path absent = dir.resolve("absent.pub");
        Path file = yaml("""
                index-ttl: banana
                trusted-keys: ["RWbogus", "@%s", "%s"]
                extra-upstreams:
                  - name: mirror
                    url: http://mirror.test/simple/
                    trusted-keys: ["RWalsobogus"]
                """.formatted(absent, KEY));

        assertThat(errorsOf(file, Map.of(), Map.of("upstream", "http://index.test/simple/"))).containsExactlyInAnyOrder(
                "index-ttl: not a duration (examples: 500ms, 90s, 10m, 1h, 7d): banana",
                "trusted-keys[0]: public key is not canonical base64",
                "trusted-keys[1]: no such key file: " + absent,
                "extra-upstreams mirror: trusted-keys[0]: public key is not canonical base64");
    }

    /** Regression: a key file was read whole before its size was checked, so "@/dev/zero" exhausted the heap. */
    @Test
    void anEndlessOrHugeKeyFileIsAnErrorNotAnOutOfMemoryError() throws IOException {
        Path huge = Files.write(dir.resolve("huge.pub"), new byte[1 << 20]);
        assertThat(errorsOf(yaml("trusted-keys: [\"@/dev/zero\", \"@%s\"]\n".formatted(huge)), Map.of(),
                Map.of("upstream", "http://index.test/simple/"))).containsExactly(
                "trusted-keys[0]: key file /dev/zero is larger than 16384 bytes; a minisign public key file is two short lines",
                "trusted-keys[1]: key file " + huge + " is larger than 16384 bytes; a minisign public key file is two short lines");
    }

    @Test
    void reportsEveryProblemFromEveryLayerInOneException() throws IOException {
        Path file = yaml("index-ttl: banana\nbogus: 1\nupstream-timeouts:\n  idle: 0s\n");
        Map<String, String> env = Map.of("SIGNET_NOPE", "x", "SIGNET_LISTEN", "nowhere");
        Map<String, Object> cli = Map.of("upstream", "ftp://x.test/", "require-file-name", "perhaps");

        assertThatThrownBy(() -> ConfigLoader.load(file, env, cli))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.errors()).containsExactlyInAnyOrder(
                            file + ":2:1: unknown setting 'bogus'",
                            "unknown environment variable SIGNET_NOPE",
                            "listen: expected HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080, got 'nowhere'",
                            "upstream: expected an http:// or https:// URL of a simple index, got 'ftp://x.test/'",
                            "trusted-keys: at least one trusted key is required (a minisign public key RW... or @path/to/key.pub)",
                            "require-file-name: expected true or false, got 'perhaps'",
                            "index-ttl: not a duration (examples: 500ms, 90s, 10m, 1h, 7d): banana",
                            "upstream-timeouts.idle: must be greater than zero");
                    assertThat(e.getMessage()).isEqualTo(String.join("\n", e.located()));
                });
    }
}
