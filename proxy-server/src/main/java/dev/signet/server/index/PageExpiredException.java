package dev.signet.server.index;

/**
 * A cached signed page has passed its signed expiry (plus the allowed skew and any {@code page-stale-past-expiry}) and
 * no new one could be fetched: the page is not served stale (invariant 8). Answered {@code 503}: the upstream may be
 * back soon, and installers retry a 503.
 */
public final class PageExpiredException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PageExpiredException(String message) {
        super(message);
    }
}
