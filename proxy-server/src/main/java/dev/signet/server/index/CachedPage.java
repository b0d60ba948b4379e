package dev.signet.server.index;

import dev.signet.pages.PageComment;
import dev.signet.store.StoredPage;

/**
 * A page as the cache holds it: the upstream's bytes and validators, the parsed form, and whether it is a remembered
 * "not found", and for a signed page its signed fields ({@code signed}, else {@code null}), whose expiry is checked on
 * every use. {@code raw} is {@code null} for a not-found entry.
 */
record CachedPage<T>(StoredPage raw, T parsed, long fetchedAtMillis, PageComment signed) {

    /** An unsigned page (its upstream does not sign pages, or {@code prefer} accepted it unsigned). */
    CachedPage(StoredPage raw, T parsed, long fetchedAtMillis) {
        this(raw, parsed, fetchedAtMillis, null);
    }

    static <T> CachedPage<T> notFound(long now) {
        return new CachedPage<>(null, null, now);
    }

    boolean isNotFound() {
        return raw == null;
    }
}
