package dev.signet.server.concurrent;

import java.util.concurrent.CompletionException;

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

    public static CompletionException wrap(Throwable error) {
        return error instanceof CompletionException ce ? ce : new CompletionException(error);
    }
}
