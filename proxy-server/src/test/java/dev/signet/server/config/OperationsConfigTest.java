package dev.signet.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.access.Cidr;
import dev.signet.server.config.OperationsConfig.AccessLogFormat;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The operational settings: defaults, precedence, every validation error, and redaction in check-config. */
class OperationsConfigTest {

    private static final String KEY = "RWToHZEzNE8PLs53lNYF/LLnyAhz54PlV5wlyW0Zas6+nfEn5wTBXL05";
    private static final String TOKEN = "0123456789abcdef-secret-token";
    /** A well-formed bcrypt hash (cost 4), as htpasswd -nbB -C 4 prints one. */
    private static final String HASH = "$2y$04$5z9CwYnAKyV.r6RJKa3.nORV2UOJ/M7KMwHyE2ENFE5gYjSLeXYr6";

    @TempDir
    Path dir;

    private static Map<String, Object> minimal() {
        Map<String, Object> m = new HashMap<>();
        m.put("upstream", "http://index.test/simple/");
        m.put("trusted-keys", List.of(KEY));
        return m;
    }

    private static List<String> errorsOf(Map<String, String> env, Map<String, Object> cli) {
        try {
            ConfigLoader.load(null, env, cli);
        } catch (ConfigException e) {
            return e.errors();
        }
        throw new AssertionError("configuration was accepted");
    }

    @Test
    void defaults() throws ConfigException {
        OperationsConfig o = ConfigLoader.load(null, Map.of(), minimal()).operations();
        assertThat(o.admin().listen()).isEqualTo(InetSocketAddress.createUnresolved("127.0.0.1", 9901));
        assertThat(o.admin().token()).isNull();
        assertThat(o.admin().openProbes()).isTrue();
        assertThat(o.accessLogFormat()).isEqualTo(AccessLogFormat.TEXT);
        assertThat(o.shutdown().drainDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.shutdown().drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.https().enabled()).isFalse();
        assertThat(o.upstream().caBundle()).isNull();
        assertThat(o.upstream().proxy()).isNull();
        assertThat(o.access().open()).isTrue();
    }

    @Test
    void fileThenEnvironmentThenCommandLine() throws Exception {
        Path file = Files.writeString(dir.resolve("s.yaml"), """
                admin-listen: 127.0.0.1:1001
                access-log-format: json
                shutdown:
                  drain-delay: 1s
                  drain-timeout: 2s
                access:
                  allow-networks: [10.0.0.0/8]
                """);
        Map<String, String> env = Map.of("SIGNET_ADMIN_LISTEN", "127.0.0.1:1002", "SIGNET_SHUTDOWN_DRAIN_DELAY", "3s",
                "SIGNET_ACCESS_ALLOW_NETWORKS", "192.168.0.0/16, ::1", "SIGNET_ADMIN_TOKEN", TOKEN);
        Map<String, Object> cli = minimal();
        cli.put("admin-listen", "127.0.0.1:1003");

        OperationsConfig o = ConfigLoader.load(file, env, cli).operations();

        assertThat(o.admin().listen().getPort()).as("command line over env over file").isEqualTo(1003);
        assertThat(o.shutdown().drainDelay()).as("env over file").isEqualTo(Duration.ofSeconds(3));
        assertThat(o.shutdown().drainTimeout()).as("file over default").isEqualTo(Duration.ofSeconds(2));
        assertThat(o.accessLogFormat()).isEqualTo(AccessLogFormat.JSON);
        assertThat(o.access().allowNetworks()).containsExactly(Cidr.parse("192.168.0.0/16"), Cidr.parse("::1"));
        assertThat(o.admin().token()).isEqualTo(TOKEN);
    }

    @Test
    void httpsUpstreamTrustAndProxy() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("key.pem"), "x");
        Map<String, Object> cli = minimal();
        cli.put("https.listen", "127.0.0.1:8443");
        cli.put("https.certificate", cert.toString());
        cli.put("https.private-key", key.toString());
        cli.put("upstream-ca-bundle", cert.toString());
        cli.put("upstream-proxy", "http://squid.internal:3128");
        cli.put("access.users", List.of("alice:" + HASH));

        OperationsConfig o = ConfigLoader.load(null, Map.of(), cli).operations();

        assertThat(o.https().enabled()).isTrue();
        assertThat(o.https().certificate()).isEqualTo(cert);
        assertThat(o.upstream().caBundle()).isEqualTo(cert);
        assertThat(o.upstream().proxy()).isEqualTo(URI.create("http://squid.internal:3128"));
        assertThat(o.access().users()).singleElement().satisfies(u -> {
            assertThat(u.name()).isEqualTo("alice");
            assertThat(u.hash()).isEqualTo(HASH);
        });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            admin-listen           | 9901        | admin-listen: expected HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080, got '9901'
            admin-token            | short       | admin-token: must be at least 16 printable ASCII characters without spaces (e.g. openssl rand -hex 32)
            admin-token            | 0123456789abcdef 0123 | admin-token: must be at least 16 printable ASCII characters without spaces (e.g. openssl rand -hex 32)
            admin-open-probes      | sometimes   | admin-open-probes: expected true or false, got 'sometimes'
            access-log-format      | xml         | access-log-format: expected text or json, got 'xml'
            shutdown.drain-delay   | 5           | shutdown.drain-delay: not a duration (examples: 500ms, 90s, 10m, 1h, 7d): 5
            shutdown.drain-timeout | soon        | shutdown.drain-timeout: not a duration (examples: 500ms, 90s, 10m, 1h, 7d): soon
            https.listen           | 8443        | https.listen: expected HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080, got '8443'
            https.certificate      | /nonexistent/cert.pem | https.certificate: not a readable file: /nonexistent/cert.pem
            upstream-ca-bundle     | /nonexistent/ca.pem   | upstream-ca-bundle: not a readable file: /nonexistent/ca.pem
            upstream-proxy         | socks5://p:1080       | upstream-proxy: expected http://[USER:PASSWORD@]HOST:PORT, got 'socks5://p:1080'
            upstream-proxy         | http://p              | upstream-proxy: expected http://[USER:PASSWORD@]HOST:PORT, got 'http://p'
            upstream-proxy         | http://u:pw@p:3128/x  | upstream-proxy: expected http://[USER:PASSWORD@]HOST:PORT, got 'http://<redacted>@p:3128/x'
            access.allow-networks  | 10.1.2.3/8  | access.allow-networks: host bits set in '10.1.2.3/8' (did you mean 10.0.0.0/8?)
            access.allow-networks  | 10.0.0.0/33 | access.allow-networks: prefix length must be 0 to 32 in '10.0.0.0/33'
            access.allow-networks  | intranet    | access.allow-networks: expected a network like 10.0.0.0/8 or fd00::/8, got 'intranet'
            access.allow-networks  | 10.0.0.0/x  | access.allow-networks: prefix length is not a number in '10.0.0.0/x'
            access.users           | alice       | access.users: expected NAME:BCRYPT-HASH (as htpasswd -nbB prints), got an entry without a name
            access.users           | alice:hunter2 | access.users: user 'alice': not a bcrypt hash ($2y$COST$ and 53 characters)
            """)
    void refusesABadValueWithOneLineNamingTheSetting(String key, String value, String message) {
        Map<String, Object> cli = minimal();
        cli.put(key, value);
        assertThat(errorsOf(Map.of(), cli)).containsExactly(message);
    }

    @Test
    void httpsNeedsListenCertificateAndKeyTogether() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Map<String, Object> listenOnly = minimal();
        listenOnly.put("https.listen", "127.0.0.1:8443");
        assertThat(errorsOf(Map.of(), listenOnly))
                .containsExactly("https.listen: needs https.certificate and https.private-key (PEM files)");

        Map<String, Object> certOnly = minimal();
        certOnly.put("https.certificate", cert.toString());
        assertThat(errorsOf(Map.of(), certOnly))
                .containsExactly("https.listen: required when https.certificate or https.private-key is set");
    }

    @Test
    void aRefusedTokenIsNeverEchoed() {
        Map<String, Object> cli = minimal();
        cli.put("admin-token", "leaky secret value");
        assertThat(String.join("\n", errorsOf(Map.of(), cli))).doesNotContain("leaky");
    }

    /** Regression: check-config printed upstream-token and an extra upstream's token and URL password in clear. */
    @Test
    void checkConfigRedactsTheUpstreamTokenAndTheSecretsOfExtraUpstreams(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String key = KEY;
        java.nio.file.Path yaml = java.nio.file.Files.writeString(dir.resolve("signet.yaml"), """
                upstream: https://pypi.internal/simple/
                upstream-token: supersecret-token-123
                trusted-keys: [%s]
                extra-upstreams:
                  - name: mirror
                    url: https://mirroruser:mirror-password@mirror.test/simple/
                    trusted-keys: [%s]
                  - name: other
                    url: https://other.test/simple/
                    trusted-keys: [%s]
                    token: other-secret-token
                """.formatted(key, key, key));

        String printed = ConfigLoader.describe(yaml, Map.of(), Map.of());

        assertThat(printed).doesNotContain("supersecret-token-123", "mirror-password", "mirroruser", "other-secret-token");
        assertThat(printed).contains("upstream-token: <redacted>", "https://<redacted>@mirror.test/simple/");
    }

    @Test
    void checkConfigPrintsEverySettingWithSecretsRedactedAsLoadableYaml() throws Exception {
        Map<String, Object> cli = minimal();
        cli.put("upstream", "https://reader:index-password@index.test/simple/");
        cli.put("upstream-proxy", "http://proxyuser:proxy-password@squid.test:3128");
        cli.put("access.users", List.of("alice:" + HASH));
        Map<String, String> env = Map.of("SIGNET_ADMIN_TOKEN", TOKEN, "SIGNET_INDEX_TTL", "2m");

        String printed = ConfigLoader.describe(null, env, cli);

        assertThat(printed).doesNotContain(TOKEN, "index-password", "proxy-password", "reader", "proxyuser", HASH,
                HASH.substring(7));
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(printed);
        assertThat(tree.get("admin-token")).isEqualTo("<redacted>");
        assertThat(tree.get("upstream")).isEqualTo("https://<redacted>@index.test/simple/");
        assertThat(tree.get("upstream-proxy")).isEqualTo("http://<redacted>@squid.test:3128");
        assertThat(tree.get("index-ttl")).as("effective value from the environment").isEqualTo("2m");
        assertThat(tree.get("listen")).as("default").isEqualTo("127.0.0.1:8080");
        assertThat(section(tree, "access")).containsEntry("users", List.of("alice:<redacted>"))
                .containsEntry("allow-networks", List.of());
        assertThat(section(tree, "shutdown")).containsEntry("drain-delay", "5s");
        for (String key : ConfigLoader.DEFAULTS.keySet()) {
            Map<String, Object> node = tree;
            String[] parts = key.split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                node = section(node, parts[i]);
            }
            assertThat(node).as(key).containsKey(parts[parts.length - 1]);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> tree, String name) {
        return (Map<String, Object>) tree.get(name);
    }

    @Test
    void checkConfigOutputLoadsBackToTheSameConfiguration() throws Exception {
        Map<String, Object> cli = minimal();
        cli.put("access.allow-networks", List.of("127.0.0.0/8"));
        Path printed = Files.writeString(dir.resolve("printed.yaml"), ConfigLoader.describe(null, Map.of(), cli));
        assertThat(ConfigLoader.load(printed, Map.of(), Map.of())).isEqualTo(ConfigLoader.load(null, Map.of(), cli));
    }

    @Test
    void checkConfigFailsWithEveryError() {
        Map<String, Object> cli = minimal();
        cli.put("admin-listen", "x");
        cli.put("access-log-format", "xml");
        try {
            ConfigLoader.describe(null, Map.of(), cli);
            throw new AssertionError("accepted");
        } catch (ConfigException e) {
            assertThat(e.errors()).hasSize(2);
        }
    }
}
