package dev.signet.server.config;

import java.util.List;

/**
 * One trusted key as configured: a minisign public key ({@code RW...}) or {@code @path} to a {@code .pub} file, whether
 * legacy (non-prehashed) signatures are accepted and up to which size, and which projects it may sign (globs over
 * normalized names; empty = all).
 */
public record TrustedKeyConfig(String key, boolean allowLegacy, long legacyMaxSize, List<String> projects) {

    public static final long DEFAULT_LEGACY_MAX_SIZE = 64L << 20;

    public static TrustedKeyConfig of(String key) {
        return new TrustedKeyConfig(key, false, DEFAULT_LEGACY_MAX_SIZE, List.of());
    }
}
