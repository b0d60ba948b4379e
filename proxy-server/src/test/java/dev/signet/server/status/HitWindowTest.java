package dev.signet.server.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The status page's hit ratio counts the last window only, slot by slot, not everything since start. */
class HitWindowTest {

    private final AtomicLong nanos = new AtomicLong(Duration.ofHours(1).toNanos());
    private final HitWindow window = new HitWindow(Duration.ofMinutes(5), 30, nanos::get);

    @Test
    void countsHitsAndMissesWithinTheWindow() {
        window.hit();
        window.hit();
        window.hit();
        window.miss();

        HitWindow.Counts counts = window.counts();
        assertThat(counts.hits()).isEqualTo(3);
        assertThat(counts.misses()).isEqualTo(1);
        assertThat(counts.ratio()).isEqualTo(0.75);
        assertThat(counts.window()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void noLookupIsNoRatioRatherThanZero() {
        assertThat(window.counts().ratio()).isNaN();
    }

    @Test
    void oldSlotsDropOutAsTimeMovesOn() {
        window.miss();
        window.miss();
        advance(Duration.ofMinutes(3));
        window.hit();

        assertThat(window.counts().misses()).isEqualTo(2);
        advance(Duration.ofMinutes(2).plusSeconds(10));
        HitWindow.Counts later = window.counts();
        assertThat(later.misses()).as("older than the window").isZero();
        assertThat(later.hits()).isEqualTo(1);

        advance(Duration.ofMinutes(10));
        assertThat(window.counts().hits() + window.counts().misses()).isZero();
    }

    @Test
    void aReusedSlotStartsFromZero() {
        window.hit();
        advance(Duration.ofMinutes(5));
        // Same position in the ring, one full turn later.
        window.miss();
        HitWindow.Counts counts = window.counts();
        assertThat(counts.hits()).isZero();
        assertThat(counts.misses()).isEqualTo(1);
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }
}
