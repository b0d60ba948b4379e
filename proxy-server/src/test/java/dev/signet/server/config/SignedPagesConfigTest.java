package dev.signet.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.signet.pages.SignedPagesMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedPagesConfigTest {

    private static final String KEY = "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3";

    @Test
    void offByDefaultWithAFiveMinuteSkewAndNoStaleOverride() throws Exception {
        SignetConfig config = ConfigLoader.load(null, Map.of(),
                Map.of("upstream", "http://127.0.0.1:1/simple/", "trusted-keys", List.of(KEY)));
        assertThat(config.upstreams().primaryPages().mode()).isEqualTo(SignedPagesMode.OFF);
        assertThat(config.upstreams().pagePolicy().clockSkew()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.upstreams().pagePolicy().stalePastExpiry()).isZero();
    }

    @Test
    void perUpstreamModesAndKeysFromYamlAndEnvironment(@TempDir Path dir) throws Exception {
        Path pub = Files.writeString(dir.resolve("pages.pub"), "untrusted comment: k\n" + KEY + "\n");
        Path yaml = Files.writeString(dir.resolve("signet.yaml"), """
                upstream: https://pypi.internal/simple/
                trusted-keys: [%s]
                signed-pages: require
                page-keys: ["@%s"]
                page-clock-skew: 1m
                page-stale-past-expiry: 1h
                extra-upstreams:
                  - name: public
                    url: https://mirror.example/simple/
                    trusted-keys: [%s]
                    signed-pages: prefer
                    page-keys: [%s]
                """.formatted(KEY, pub, KEY, KEY));
        SignetConfig config = ConfigLoader.load(yaml, Map.of(), Map.of());
        assertThat(config.upstreams().primaryPages().mode()).isEqualTo(SignedPagesMode.REQUIRE);
        assertThat(config.upstreams().primaryPages().pageKeys()).hasSize(1);
        assertThat(config.upstreams().extras().get(0).pages().mode()).isEqualTo(SignedPagesMode.PREFER);
        assertThat(config.upstreams().pagePolicy().clockSkew()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.upstreams().pagePolicy().stalePastExpiry()).isEqualTo(Duration.ofHours(1));

        SignetConfig fromEnv = ConfigLoader.load(null, Map.of("SIGNET_UPSTREAM", "http://127.0.0.1:1/simple/",
                "SIGNET_TRUSTED_KEYS", KEY, "SIGNET_SIGNED_PAGES", "prefer", "SIGNET_PAGE_KEYS", KEY), Map.of());
        assertThat(fromEnv.upstreams().primaryPages().mode()).isEqualTo(SignedPagesMode.PREFER);
    }

    @Test
    void requireWithoutAPageKeyAnUnreadableKeyFileAndABadSkewAreReportedAtOnce(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("signet.yaml"), """
                upstream: https://pypi.internal/simple/
                trusted-keys: [%s]
                signed-pages: require
                page-clock-skew: soon
                page-stale-past-expiry: -1s
                extra-upstreams:
                  - name: public
                    url: https://mirror.example/simple/
                    trusted-keys: [%s]
                    signed-pages: prefer
                    page-keys: ["@%s"]
                  - name: other
                    url: https://other.example/simple/
                    trusted-keys: [%s]
                    signed-pages: always
                """.formatted(KEY, KEY, dir.resolve("missing.pub"), KEY));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(yaml, Map.of(), Map.of()));
        assertThat(e.errors()).anySatisfy(m -> assertThat(m).startsWith("signed-pages: require needs at least one key in page-keys"));
        assertThat(e.errors()).anySatisfy(m -> assertThat(m).startsWith("extra-upstreams[0].page-keys[0]: no such key file"));
        assertThat(e.errors()).anySatisfy(m -> assertThat(m).startsWith("extra-upstreams[1].signed-pages: expected off, prefer or require"));
        assertThat(e.errors()).anySatisfy(m -> assertThat(m).startsWith("page-clock-skew:"));
        assertThat(e.errors()).anySatisfy(m -> assertThat(m).startsWith("page-stale-past-expiry:"));
    }

    @Test
    void aSkewOverADayIsRefused() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(null, Map.of(),
                Map.of("upstream", "http://127.0.0.1:1/simple/", "trusted-keys", List.of(KEY), "page-clock-skew", "2d")));
        assertThat(e.errors()).containsExactly("page-clock-skew: at most 1d (a clock that far off must be fixed, not allowed for)");
    }
}
