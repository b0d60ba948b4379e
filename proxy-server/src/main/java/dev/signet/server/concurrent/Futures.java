package dev.signet.server.concurrent;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/** The one place that unwraps and wraps the exceptions {@code CompletableFuture} stages pass around. */
public final class Futures {

    private Futures() {
    }

    /** The failure a stage really failed with, without the {@link CompletionException} wrappers. */
    public static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Completes (never exceptionally) once every one of {@code futures} has completed, however each ended. */
    public static CompletableFuture<Void> allSettled(List<? extends CompletableFuture<?>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).handle((done, error) -> null);
    }

    /**
     * Completes when {@code settled} does or after {@code maxWait}, whichever comes first; at once when it is already
     * done or the wait is zero. {@code settled} itself is left running (a bounded wait for checks that go on).
     */
    public static CompletableFuture<Void> atMost(CompletableFuture<Void> settled, Duration maxWait) {
        return settled.isDone() || maxWait.isZero()
                ? CompletableFuture.completedFuture(null)
                : settled.copy().completeOnTimeout(null, maxWait.toNanos(), TimeUnit.NANOSECONDS);
    }

    public static CompletionException wrap(Throwable error) {
        return error instanceof CompletionException ce ? ce : new CompletionException(error);
    }
}
