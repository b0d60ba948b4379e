package dev.signet.sig;

import java.util.List;
import java.util.Objects;

/**
 * A key the operator trusts, with what it may sign.
 *
 * @param key the public key
 * @param allowLegacy whether {@code Ed} (whole-file, non-prehashed) signatures by this key are accepted
 * @param legacyMaxBytes largest artifact accepted with a legacy signature; legacy verification holds the whole
 *     artifact in memory, so this bounds the heap a single verification may use
 * @param projectPatterns globs over PEP 503 normalized project names ({@code *}, {@code ?}); empty = all
 */
public record TrustedKey(MinisignPublicKey key, boolean allowLegacy, long legacyMaxBytes,
        List<String> projectPatterns) {

    /** minisign itself refuses legacy signatures over 1 GiB; so do we. */
    public static final long MAX_LEGACY_BYTES = 1L << 30;

    public TrustedKey {
        Objects.requireNonNull(key, "key");
        projectPatterns = List.copyOf(Objects.requireNonNull(projectPatterns, "projectPatterns"));
        if (legacyMaxBytes < 0 || legacyMaxBytes > MAX_LEGACY_BYTES) {
            throw new IllegalArgumentException(
                    "legacyMaxBytes must be between 0 and " + MAX_LEGACY_BYTES + ", was " + legacyMaxBytes);
        }
        projectPatterns.forEach(ProjectGlob::validate);
    }

    /** A key accepted for every project, prehashed signatures only. */
    public static TrustedKey of(MinisignPublicKey key) {
        return new TrustedKey(key, false, 0, List.of());
    }

    /** Whether this key may sign artifacts of {@code normalizedProject}. */
    public boolean appliesTo(String normalizedProject) {
        Objects.requireNonNull(normalizedProject, "normalizedProject");
        if (projectPatterns.isEmpty()) {
            return true;
        }
        for (String pattern : projectPatterns) {
            if (ProjectGlob.matches(pattern, normalizedProject)) {
                return true;
            }
        }
        return false;
    }
}
