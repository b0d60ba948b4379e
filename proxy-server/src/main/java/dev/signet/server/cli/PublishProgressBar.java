package dev.signet.server.cli;

import dev.signet.publish.PublishProgress;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code signet publish}'s progress on a terminal: one line redrawn in place with files done, total and rate, at most
 * ten times a second. Without a terminal it prints nothing (the command prints a summary line at the end).
 */
final class PublishProgressBar implements PublishProgress {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicLong lastDraw = new AtomicLong();
    private volatile int total;
    private volatile boolean drawn;

    private PublishProgressBar(PrintStream out) {
        this.out = out;
    }

    /** A bar on stderr when it is a terminal, otherwise nothing. */
    static PublishProgress forConsole() {
        return System.console() != null ? new PublishProgressBar(System.err) : PublishProgress.NONE;
    }

    @Override
    public void started(int files) {
        total = files;
    }

    @Override
    public void fileDone(String fileName, long bytes) {
        int n = done.incrementAndGet();
        long now = System.nanoTime();
        long last = lastDraw.get();
        if ((n == total || now - last >= REDRAW_NANOS) && lastDraw.compareAndSet(last, now)) {
            draw(n, now);
        }
    }

    @Override
    public void pageSwitched(String project) {
        if (drawn) {
            drawn = false;
            synchronized (out) {
                out.println();
            }
        }
    }

    private void draw(int n, long now) {
        int filled = total == 0 ? WIDTH : (int) ((long) n * WIDTH / total);
        double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
        String line = String.format("\r[%s%s] %d/%d files  %.1f files/s", "#".repeat(filled),
                " ".repeat(WIDTH - filled), n, total, n / seconds);
        synchronized (out) {
            out.print(line);
            out.flush();
        }
        drawn = true;
    }
}
