package dev.signet.server.access;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The threads that run password checks, and nothing else. bcrypt costs tens of milliseconds by design; on the shared
 * worker pool a flood of wrong passwords would queue in front of fills, verifications and disk reads. Here it only
 * queues in front of other password checks, and the queue is bounded: when it is full a check is refused at once
 * ({@link Busy}) instead of waiting, so a flood costs at most {@code threads} cores.
 */
public final class PasswordCheckPool implements AutoCloseable {

    /** Thread name prefix, so that tests (and thread dumps) can tell password checks from other work. */
    public static final String THREAD_PREFIX = "signet-password";

    /** The pool and its queue are full: the check was not run. */
    public static final class Busy extends RuntimeException {
        Busy(int queued) {
            super("busy: " + queued + " password checks are waiting; try again", null, false, false);
        }
    }

    private final ThreadPoolExecutor pool;
    private final int queueSize;
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();

    public PasswordCheckPool(int threads, int queueSize) {
        if (threads < 1 || queueSize < 1) {
            throw new IllegalArgumentException("threads and queue size must be at least 1");
        }
        this.queueSize = queueSize;
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueSize),
                new io.netty.util.concurrent.DefaultThreadFactory(THREAD_PREFIX, true), new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code check} on a password thread; fails with {@link Busy} at once when the queue is full. */
    CompletableFuture<Boolean> submit(BooleanSupplier check) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                try {
                    result.complete(check.getAsBoolean());
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            refused.incrementAndGet();
            result.completeExceptionally(new Busy(queueSize));
        }
        return result;
    }

    /** Checks waiting for a thread, for metrics and tests. */
    public int queued() {
        return pool.getQueue().size();
    }

    /** Checks refused because the queue was full, for metrics. */
    public long refused() {
        return refused.get();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
