package dev.signet.server.artifact;

import dev.signet.store.ArtifactStore;
import dev.signet.store.ScanResult;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background scrub: every {@code interval}, re-verifies every cached artifact against its recorded signature and
 * today's keyring, at most {@code bytesPerSecond}, on a thread of its own so it never competes with requests for the
 * worker pool. An artifact that fails is removed (and fetched again on its next request); a key revoked since the fill
 * takes effect here even for artifacts nobody asks for.
 */
public final class Scrubber implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Scrubber.class);

    private final ArtifactStore store;
    private final ArtifactService artifacts;
    private final long bytesPerSecond;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "signet-scrub");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    });
    private final AtomicLong failures = new AtomicLong();

    public Scrubber(ArtifactStore store, ArtifactService artifacts, long bytesPerSecond) {
        this.store = store;
        this.artifacts = artifacts;
        this.bytesPerSecond = bytesPerSecond;
    }

    public void start(Duration interval) {
        thread.scheduleWithFixedDelay(this::pass, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One pass over the store; public so tests can run one without waiting for the schedule. */
    public ScanResult pass() {
        long started = System.nanoTime();
        long before = failures.get();
        try {
            ScanResult result = store.scan(entry -> {
                long t0 = System.nanoTime();
                if (!artifacts.recheck(entry.key())) {
                    failures.incrementAndGet();
                }
                throttle(entry.record().length(), t0);
            });
            log.info("scrub: {} artifacts ({} bytes) re-verified in {} s, {} failed (removed, or unreadable and kept)",
                    result.entries(), result.bytes(), (System.nanoTime() - started) / 1_000_000_000,
                    failures.get() - before);
            return result;
        } catch (IOException | RuntimeException e) {
            log.warn("scrub pass failed: {}", e.toString());
            return new ScanResult(0, 0, 0);
        }
    }

    /** Sleeps on the scrub thread (never a worker or event loop) so the pass stays under its byte rate. */
    private void throttle(long bytes, long startedNanos) {
        long budgetNanos = (long) (bytes * 1e9 / bytesPerSecond);
        long spent = System.nanoTime() - startedNanos;
        if (budgetNanos > spent) {
            LockSupport.parkNanos(budgetNanos - spent);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
