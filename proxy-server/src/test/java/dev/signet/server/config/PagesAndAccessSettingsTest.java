package dev.signet.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings of issue 10 items 8, 9 and 11: defaults, environment variables, validation (all errors at once). */
class PagesAndAccessSettingsTest {

    private static final String KEY = "RWToHZEzNE8PLs53lNYF/LLnyAhz54PlV5wlyW0Zas6+nfEn5wTBXL05";

    private static SignetConfig load(Map<String, String> env, Map<String, Object> flags) throws ConfigException {
        Map<String, Object> all = new HashMap<>(Map.of("upstream", "http://up.test/simple/", "trusted-keys", List.of(KEY)));
        all.putAll(flags);
        return ConfigLoader.load(null, env, all);
    }

    @Test
    void defaults() throws Exception {
        SignetConfig c = load(Map.of(), Map.of());
        assertThat(c.pages()).isEqualTo(new PagesConfig(0, 0, 64, Duration.ofMillis(250)));
        assertThat(c.pages().cacheSize(512L << 20)).as("an eighth of the heap").isEqualTo(64L << 20);
        assertThat(c.pages().fetchMemory(512L << 20)).as("a quarter of the heap").isEqualTo(128L << 20);
        assertThat(c.pages().cacheSize(32L << 20)).as("at least 8MiB").isEqualTo(8L << 20);
        assertThat(c.operations().access().passwordCheckThreads()).isZero();
        assertThat(c.operations().access().passwordCheckQueue()).isEqualTo(64);
        assertThat(c.operations().access().credentialCacheTtl()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void environmentVariablesSetThem() throws Exception {
        SignetConfig c = load(Map.of("SIGNET_PAGE_CACHE_SIZE", "256MiB", "SIGNET_PAGE_FETCH_MEMORY", "96MiB",
                "SIGNET_METADATA_CHECKS_PER_PAGE", "10", "SIGNET_METADATA_CHECK_WAIT", "1s",
                "SIGNET_ACCESS_PASSWORD_CHECK_THREADS", "3", "SIGNET_ACCESS_PASSWORD_CHECK_QUEUE", "7",
                "SIGNET_ACCESS_CREDENTIAL_CACHE_TTL", "0s"), Map.of());
        assertThat(c.pages()).isEqualTo(new PagesConfig(256L << 20, 96L << 20, 10, Duration.ofSeconds(1)));
        assertThat(c.pages().cacheSize(1L << 30)).isEqualTo(256L << 20);
        assertThat(c.operations().access().passwordCheckThreads()).isEqualTo(3);
        assertThat(c.operations().access().passwordCheckQueue()).isEqualTo(7);
        assertThat(c.operations().access().credentialCacheTtl()).isZero();
    }

    @Test
    void badValuesAreAllReportedAtOnce() {
        assertThatThrownBy(() -> load(Map.of(), Map.of("page-cache-size", "100KiB", "page-fetch-memory", "lots",
                "metadata-checks-per-page", "-1", "metadata-check-wait", "2m",
                "access.password-check-threads", "5000", "access.password-check-queue", "0",
                "access.credential-cache-ttl", "soon")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).hasSize(7).anySatisfy(
                        m -> assertThat(m).startsWith("page-cache-size: must be auto or at least 1MiB")).anySatisfy(
                        m -> assertThat(m).startsWith("metadata-check-wait: must be at most 1m")).anySatisfy(
                        m -> assertThat(m).startsWith("access.password-check-queue: must be between 1 and 100000")));
    }
}
