package dev.signet.server.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A faulty store is skipped for the backoff, doubling up to 8x while faults go on; one success closes it again. */
class StoreBackoffTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final StoreBackoff backoff = new StoreBackoff(Duration.ofSeconds(30), now::get);

    @Test
    void aHealthyStoreIsAlwaysCalled() {
        assertThat(backoff.allows()).isTrue();
        backoff.succeeded();
        assertThat(backoff.allows()).isTrue();
    }

    @Test
    void aFaultSkipsTheStoreForTheBackoffThenAllowsATrialCall() {
        assertThat(backoff.failed()).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.allows()).isFalse();
        now.addAndGet(Duration.ofSeconds(30).toNanos() - 1);
        assertThat(backoff.allows()).isFalse();
        now.addAndGet(1);
        assertThat(backoff.allows()).as("the trial call after the backoff").isTrue();
    }

    @Test
    void faultsInARowDoubleTheBackoffUpToEightTimes() {
        assertThat(backoff.failed()).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.failed()).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.failed()).isEqualTo(Duration.ofSeconds(120));
        assertThat(backoff.failed()).isEqualTo(Duration.ofSeconds(240));
        assertThat(backoff.failed()).isEqualTo(Duration.ofSeconds(240));
    }

    @Test
    void oneSuccessClosesItAgain() {
        backoff.failed();
        backoff.failed();
        backoff.succeeded();
        assertThat(backoff.allows()).isTrue();
        assertThat(backoff.failed()).as("back to the base").isEqualTo(Duration.ofSeconds(30));
    }
}
