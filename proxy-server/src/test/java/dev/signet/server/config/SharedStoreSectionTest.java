package dev.signet.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code shared-store} settings: off by default, set by file keys or SIGNET_* variables, every error at once. */
class SharedStoreSectionTest {

    private static final String KEY = "RWToHZEzNE8PLs53lNYF/LLnyAhz54PlV5wlyW0Zas6+nfEn5wTBXL05";

    private static Map<String, Object> base(Map<String, Object> flags) {
        Map<String, Object> all = new HashMap<>(Map.of("upstream", "http://up.test/simple/", "trusted-keys", List.of(KEY)));
        all.putAll(flags);
        return all;
    }

    private static SignetConfig load(Map<String, String> env, Map<String, Object> flags) throws ConfigException {
        return ConfigLoader.load(null, env, base(flags));
    }

    @Test
    void offByDefault() throws Exception {
        SharedStoreConfig store = load(Map.of(), Map.of()).sharedStore();
        assertThat(store.enabled()).isFalse();
        assertThat(store).isEqualTo(SharedStoreConfig.OFF);
    }

    @Test
    void environmentVariablesSetEverySetting() throws Exception {
        SharedStoreConfig store = load(Map.of("SIGNET_SHARED_STORE_URL", "s3://fleet-bucket/edges/eu",
                "SIGNET_SHARED_STORE_ENDPOINT", "https://minio.example:9000", "SIGNET_SHARED_STORE_REGION", "eu-west-1",
                "SIGNET_SHARED_STORE_PATH_STYLE", "true", "SIGNET_SHARED_STORE_TIMEOUT", "3s",
                "SIGNET_SHARED_STORE_THREADS", "4", "SIGNET_SHARED_STORE_PART_SIZE", "16MiB",
                "SIGNET_SHARED_STORE_BACKOFF", "1m"), Map.of()).sharedStore();
        assertThat(store).isEqualTo(new SharedStoreConfig("fleet-bucket", "edges/eu/", URI.create("https://minio.example:9000"),
                "eu-west-1", true, Duration.ofSeconds(3), 4, 16L << 20, Duration.ofMinutes(1)));
        assertThat(store.url()).isEqualTo("s3://fleet-bucket/edges/eu/");
    }

    @Test
    void aBucketWithoutPrefixStoresAtTheTop() throws Exception {
        SharedStoreConfig store = load(Map.of(), Map.of("shared-store.url", "s3://fleet-bucket")).sharedStore();
        assertThat(store.bucket()).isEqualTo("fleet-bucket");
        assertThat(store.prefix()).isEmpty();
    }

    @Test
    void badValuesAreAllReportedAtOnceAndCredentialsAreNeverSettings() {
        assertThatThrownBy(() -> load(Map.of(), Map.of("shared-store.url", "https://bucket/x",
                "shared-store.endpoint", "https://AKIA:secret@minio.example/", "shared-store.region", "EU West",
                "shared-store.path-style", "maybe", "shared-store.timeout", "10ms", "shared-store.threads", "0",
                "shared-store.part-size", "1MiB", "shared-store.backoff", "0s")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).hasSize(8)
                        .anySatisfy(m -> assertThat(m).startsWith("shared-store.url: expected s3://BUCKET"))
                        .anySatisfy(m -> assertThat(m).startsWith("shared-store.endpoint: must not hold credentials"))
                        .anySatisfy(m -> assertThat(m).startsWith("shared-store.part-size: must be 5MiB to 5GiB"))
                        .noneSatisfy(m -> assertThat(m).contains("secret")));
        assertThatThrownBy(() -> load(Map.of(), Map.of("shared-store.url", "s3://Bad_Bucket/x")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(m -> assertThat(m).startsWith("shared-store.url: bucket name must be")));
    }

    @Test
    void checkConfigShowsTheStoreAndNoCredentials() throws Exception {
        String described = ConfigLoader.describe(null, Map.of("SIGNET_SHARED_STORE_URL", "s3://fleet-bucket/edges"),
                base(Map.of()));
        assertThat(described).contains("shared-store:").contains("url: s3://fleet-bucket/edges")
                .doesNotContainIgnoringCase("secret").doesNotContainIgnoringCase("access-key");
    }
}
