package dev.signet.server.index;

/**
 * A parsed index page with how old it is; {@code stale} means the upstream could not be reached to revalidate it and
 * it is served past its TTL (within the configured max stale age).
 */
public record Page<T>(T value, long ageSeconds, boolean stale) {
}
