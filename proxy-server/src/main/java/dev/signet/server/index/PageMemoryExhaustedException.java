package dev.signet.server.index;

/** A page could not be fetched now because other pages in flight hold the page memory budget; a retry may succeed. */
public final class PageMemoryExhaustedException extends RuntimeException {
    public PageMemoryExhaustedException(String message) {
        super(message, null, false, false);
    }
}
