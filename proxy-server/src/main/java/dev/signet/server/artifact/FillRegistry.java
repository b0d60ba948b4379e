package dev.signet.server.artifact;

import dev.signet.events.SignetListener;
import dev.signet.store.ArtifactKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fills in progress, for operators: for each, the bytes received so far, of how many, how fast, and how many
 * requests wait for it. {@link ArtifactService} reports where a fill starts and ends, {@link ArtifactFill} when its body
 * starts, the serve path which requests wait. Read by {@code GET /fills} on the admin port and by {@link #logProgress},
 * which the server runs every {@link #REPORT_EVERY}; the end of each fill goes to the listener (duration, throughput).
 */
public final class FillRegistry {

    private static final Logger log = LoggerFactory.getLogger(FillRegistry.class);

    /** A fill older than this is logged, and then again every this long until it ends. */
    public static final Duration REPORT_EVERY = Duration.ofSeconds(5);

    /** One fill as {@code GET /fills} and the progress log show it. {@code total} is {@code null} when not known. */
    public record Status(String project, String file, long bytes, Long total, double elapsedSeconds,
                         double bytesPerSecond, int waiting) {}

    /** A request's interest in an artifact; closing it (once or more) says the request stopped waiting. */
    public interface Waiting extends AutoCloseable {
        @Override
        void close();
    }

    private final ConcurrentHashMap<ArtifactKey, FillProgress> fills = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ArtifactKey, AtomicInteger> waiting = new ConcurrentHashMap<>();
    private final SignetListener listener;
    private final LongSupplier nanoTime;

    public FillRegistry(SignetListener listener, LongSupplier nanoTime) {
        this.listener = listener;
        this.nanoTime = nanoTime;
    }

    FillProgress started(ArtifactKey key) {
        FillProgress progress = new FillProgress(key, nanoTime.getAsLong());
        fills.put(key, progress);
        return progress;
    }

    /** {@code outcome}: committed, refused or failed. Not on an event loop (reads the byte counter). */
    void finished(FillProgress progress, String outcome) {
        fills.remove(progress.key(), progress);
        listener.fillFinished(outcome, progress.received(), nanoTime.getAsLong() - progress.startNanos());
    }

    /** Counts a request as waiting for {@code key} until the returned handle is closed. */
    public Waiting waiting(ArtifactKey key) {
        waiting.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                // Drop the counter at zero so the map holds only keys someone waits for.
                waiting.computeIfPresent(key, (k, count) -> count.decrementAndGet() == 0 ? null : count);
            }
        };
    }

    /** Whether a fill of {@code key} is running now (which a request sent to its next hop would join). */
    public boolean isFilling(ArtifactKey key) {
        return fills.containsKey(key);
    }

    /** A waiting request was redirected to its next hop (counted as signet.fill.redirects). */
    public void redirected() {
        listener.fillWaitRedirected();
    }

    /** Fills in progress, longest-running first. Blocking (reads byte counters): run it on a worker. */
    public List<Status> inProgress() {
        long now = nanoTime.getAsLong();
        List<Status> out = new ArrayList<>();
        for (FillProgress fill : fills.values()) {
            long bytes = fill.received();
            double elapsed = Math.max(0, now - fill.startNanos()) / 1e9;
            AtomicInteger waiters = waiting.get(fill.key());
            out.add(new Status(fill.key().project(), fill.key().filename(), bytes, fill.expectedSize(), elapsed,
                    elapsed > 0 ? bytes / elapsed : 0, waiters == null ? 0 : waiters.get()));
        }
        out.sort(Comparator.comparingDouble(Status::elapsedSeconds).reversed());
        return out;
    }

    /** One INFO line per fill running longer than {@link #REPORT_EVERY}. Blocking: run it on a worker. */
    public void logProgress() {
        for (Status fill : inProgress()) {
            if (fill.elapsedSeconds() >= REPORT_EVERY.toSeconds()) {
                log.info("{}", describe(fill));
            }
        }
    }

    static String describe(Status fill) {
        String done = mebibytes(fill.bytes());
        String of = fill.total() == null ? " (size not listed)"
                : " of " + mebibytes(fill.total()) + " (" + (fill.total() == 0 ? 100 : fill.bytes() * 100 / fill.total()) + "%)";
        return String.format(Locale.ROOT, "fill of %s: %s%s after %.0f s, %s/s, %d request(s) waiting",
                fill.file(), done, of, fill.elapsedSeconds(), mebibytes((long) fill.bytesPerSecond()), fill.waiting());
    }

    private static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
