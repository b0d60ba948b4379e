package dev.signet.server.status;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Artifact cache hits and misses over the last few minutes, not since start: a ring of fixed time slots (like a
 * load average, but exact), so the status page says how the cache does now. A slot older than the window is
 * cleared before it is reused; counting is a short lock, cheap enough for the event loop.
 */
public final class HitWindow {

    /** Hits and misses within the window, and the window's length. */
    public record Counts(long hits, long misses, Duration window) {
        /** Hits per lookup, or {@code NaN} when there was no lookup in the window. */
        public double ratio() {
            long all = hits + misses;
            return all == 0 ? Double.NaN : (double) hits / all;
        }
    }

    private final long slotNanos;
    private final long[] hits;
    private final long[] misses;
    /** The slot number (time / slot length) each array position last counted for. */
    private final long[] slotOf;
    private final LongSupplier nanoTime;

    public HitWindow(Duration window, int slots, LongSupplier nanoTime) {
        if (slots < 1 || window.toNanos() < slots) {
            throw new IllegalArgumentException("a window needs at least one slot of at least 1 ns");
        }
        this.slotNanos = window.toNanos() / slots;
        this.hits = new long[slots];
        this.misses = new long[slots];
        this.slotOf = new long[slots];
        java.util.Arrays.fill(slotOf, Long.MIN_VALUE);
        this.nanoTime = nanoTime;
    }

    public void hit() {
        count(true);
    }

    public void miss() {
        count(false);
    }

    private synchronized void count(boolean hit) {
        long slot = Math.floorDiv(nanoTime.getAsLong(), slotNanos);
        int at = (int) Math.floorMod(slot, hits.length);
        if (slotOf[at] != slot) {
            slotOf[at] = slot;
            hits[at] = 0;
            misses[at] = 0;
        }
        if (hit) {
            hits[at]++;
        } else {
            misses[at]++;
        }
    }

    /** What the slots of the last window hold (the current slot counts, though it is not over yet). */
    public synchronized Counts counts() {
        long current = Math.floorDiv(nanoTime.getAsLong(), slotNanos);
        long h = 0;
        long m = 0;
        for (int i = 0; i < hits.length; i++) {
            if (slotOf[i] != Long.MIN_VALUE && current - slotOf[i] < hits.length) {
                h += hits[i];
                m += misses[i];
            }
        }
        return new Counts(h, m, Duration.ofNanos(slotNanos * hits.length));
    }
}
