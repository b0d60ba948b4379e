package dev.signet.server.shared;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Keeps a faulty store out of the fill path for a while: after a fault the store is skipped for the backoff, which
 * doubles with each further fault up to eight times its base; one success closes it again. A skipped store costs a
 * fill nothing, so a store that is down does not add its timeout to every request.
 */
final class StoreBackoff {

    private static final int MAX_DOUBLINGS = 3;

    private final long baseNanos;
    private final LongSupplier nanoClock;
    private int faults;
    private long skipUntil;

    StoreBackoff(Duration base, LongSupplier nanoClock) {
        this.baseNanos = base.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Whether the store may be called now: no recent fault, or the backoff has passed (a trial call). */
    synchronized boolean allows() {
        return faults == 0 || nanoClock.getAsLong() - skipUntil >= 0;
    }

    synchronized void succeeded() {
        faults = 0;
    }

    /** Records a fault; returns how long the store is skipped from now. */
    synchronized Duration failed() {
        long delay = baseNanos << Math.min(faults, MAX_DOUBLINGS);
        faults++;
        skipUntil = nanoClock.getAsLong() + delay;
        return Duration.ofNanos(delay);
    }
}
