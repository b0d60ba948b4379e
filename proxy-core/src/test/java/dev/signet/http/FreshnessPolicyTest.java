package dev.signet.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.http.FreshnessPolicy.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FreshnessPolicyTest {

    private final FreshnessPolicy policy = new FreshnessPolicy(Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofHours(1));
    private final long fetched = 1_000_000L;

    @Test
    void freshWithinTtl() {
        assertThat(policy.of(fetched, fetched, false)).isEqualTo(State.FRESH);
        assertThat(policy.of(fetched, fetched + Duration.ofMinutes(10).toMillis() - 1, false)).isEqualTo(State.FRESH);
    }

    @Test
    void staleAfterTtlUntilMaxStale() {
        assertThat(policy.of(fetched, fetched + Duration.ofMinutes(10).toMillis(), false)).isEqualTo(State.STALE);
        assertThat(policy.of(fetched, fetched + Duration.ofMinutes(70).toMillis() - 1, false)).isEqualTo(State.STALE);
        assertThat(policy.of(fetched, fetched + Duration.ofMinutes(70).toMillis(), false)).isEqualTo(State.TOO_OLD);
    }

    @Test
    void notFoundIsRememberedBrieflyAndNeverStale() {
        assertThat(policy.of(fetched, fetched + Duration.ofSeconds(59).toMillis(), true)).isEqualTo(State.FRESH);
        assertThat(policy.of(fetched, fetched + Duration.ofSeconds(60).toMillis(), true)).isEqualTo(State.TOO_OLD);
    }

    @Test
    void clockGoingBackwardsCountsAsAgeZero() {
        assertThat(FreshnessPolicy.ageMillis(fetched, fetched - 5_000)).isZero();
        assertThat(policy.of(fetched, fetched - 5_000, false)).isEqualTo(State.FRESH);
    }
}
