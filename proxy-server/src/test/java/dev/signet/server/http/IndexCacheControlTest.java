package dev.signet.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Regression (issue 14): pages said max-age=600 whatever index-ttl was. */
class IndexCacheControlTest {

    @ParameterizedTest(name = "index-ttl {0} -> {1}")
    @CsvSource({"PT10M, max-age=600", "PT3M, max-age=180", "PT1H, max-age=3600", "PT0.5S, no-cache", "PT0S, no-cache"})
    void pageCacheControlFollowsIndexTtl(Duration ttl, String expected) {
        assertThat(IndexResponder.cacheControl(ttl)).isEqualTo(expected);
    }
}
