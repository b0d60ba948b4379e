package dev.signet.server.metrics;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs and counts every {@link OutOfMemoryError} Signet sees, wherever it surfaces: the request completion path, a
 * worker task, a Netty pipeline, or a thread that dies of it. An OOM is caught by whatever code was running (often a
 * future that turns it into a failed request), so without this it would reach nobody's log. JVM-wide, because an OOM
 * is: the count is {@code signet.jvm.oom}.
 */
public final class OutOfMemory {

    private static final Logger log = LoggerFactory.getLogger(OutOfMemory.class);
    private static final AtomicLong COUNT = new AtomicLong();
    private static volatile boolean handlerInstalled;

    private OutOfMemory() {
    }

    /** Whether {@code error} is or was caused by an OOM; if so, logs and counts it. Never throws. */
    public static boolean report(Throwable error, String where) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                COUNT.incrementAndGet();
                try {
                    // No stack trace: building one needs memory, and the place is named.
                    log.error("out of memory in {}: {} (signet.jvm.oom counts these; raise -Xmx or lower page-cache-size,"
                            + " page-fetch-memory or memory-cache-size)", where, oom.getMessage());
                } catch (Throwable ignored) {
                    // Logging itself ran out of memory: the count still went up.
                }
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    public static long count() {
        return COUNT.get();
    }

    /**
     * Reports OOMs that kill a thread (any thread without its own handler), then hands them to the handler that was
     * there before. Installed once per JVM.
     */
    public static synchronized void installUncaughtHandler() {
        if (handlerInstalled) {
            return;
        }
        handlerInstalled = true;
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            report(error, "thread " + thread.getName());
            if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                // What the JVM would print, through Signet's log instead of raw stderr.
                log.error("uncaught exception in thread {}", thread.getName(), error);
            }
        });
    }
}
