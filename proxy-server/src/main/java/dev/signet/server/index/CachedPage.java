package dev.signet.server.index;

import dev.signet.store.StoredPage;

/**
 * A page as the cache holds it: the upstream's bytes and validators, the parsed form, and whether it is a remembered
 * "not found". {@code raw} is {@code null} for a not-found entry.
 */
record CachedPage<T>(StoredPage raw, T parsed, long fetchedAtMillis) {

    static <T> CachedPage<T> notFound(long now) {
        return new CachedPage<>(null, null, now);
    }

    boolean isNotFound() {
        return raw == null;
    }
}
