package dev.signet.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamsConfigTest {

    private static final String KEY = "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3";

    @Test
    void singleUpstreamSettingsWorkUnchanged() throws Exception {
        SignetConfig config = ConfigLoader.load(null, Map.of(),
                Map.of("upstream", "http://127.0.0.1:1/simple/", "trusted-keys", java.util.List.of(KEY)));
        assertThat(config.upstreams().primaryName()).isEqualTo("primary");
        assertThat(config.upstreams().extras()).isEmpty();
        assertThat(config.upstreams().pins()).isEmpty();
    }

    @Test
    void extraUpstreamsAndPinsFromYamlAndEnvironment(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("signet.yaml"), """
                upstream: https://pypi.internal/simple/
                upstream-name: internal
                trusted-keys: [%s]
                extra-upstreams:
                  - name: public
                    url: https://user:pw@mirror.example/simple/
                    trusted-keys:
                      - key: %s
                        projects: [requests]
                pins:
                  acme-*: internal
                  requests: public
                """.formatted(KEY, KEY));
        SignetConfig config = ConfigLoader.load(yaml, Map.of("SIGNET_UPSTREAM_TOKEN", "abc"), Map.of());
        assertThat(config.upstreams().primaryName()).isEqualTo("internal");
        assertThat(config.upstreams().primaryToken()).isEqualTo("abc");
        ExtraUpstreamConfig extra = config.upstreams().extras().get(0);
        assertThat(extra.name()).isEqualTo("public");
        assertThat(extra.url()).isEqualTo(URI.create("https://user:pw@mirror.example/simple/"));
        assertThat(extra.trustedKeys().get(0).projects()).containsExactly("requests");
        assertThat(config.upstreams().pins()).containsExactly(Map.entry("acme-*", "internal"), Map.entry("requests", "public"));

        SignetConfig fromEnv = ConfigLoader.load(yaml, Map.of("SIGNET_PINS", "acme-*=public"), Map.of());
        assertThat(fromEnv.upstreams().pins()).containsExactly(Map.entry("acme-*", "public"));
    }

    @Test
    void everyProblemIsReported(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("signet.yaml"), """
                upstream: https://u:p@pypi.internal/simple/
                upstream-token: t
                trusted-keys: [%s]
                extra-upstreams:
                  - name: primary
                    url: ftp://x/
                    trusted-keys: []
                    colour: red
                pins:
                  Acme: nowhere
                """.formatted(KEY));
        assertThatThrownBy(() -> ConfigLoader.load(yaml, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("extra-upstreams[0]: unknown setting 'colour'")
                .hasMessageContaining("extra-upstreams[0].url: expected an http:// or https:// URL")
                .hasMessageContaining("extra-upstreams[0].trusted-keys: required")
                .hasMessageContaining("pins: 'Acme' is not a normalized project name pattern")
                .hasMessageContaining("pins.Acme: unknown upstream 'nowhere'")
                .hasMessageContaining("upstream-token: give either user:pass@ in upstream or upstream-token, not both");
    }
}
