package dev.signet.server.artifact;

import java.util.concurrent.CompletionException;

/** Small helpers for checked exceptions inside {@code CompletableFuture} stages. */
final class Async {

    private Async() {
    }

    /** The failure a stage really failed with, without the {@link CompletionException} wrappers. */
    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static CompletionException wrap(Throwable error) {
        return error instanceof CompletionException ce ? ce : new CompletionException(error);
    }
}
