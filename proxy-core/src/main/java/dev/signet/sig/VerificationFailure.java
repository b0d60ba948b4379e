package dev.signet.sig;

import java.util.Locale;

/**
 * Why an artifact was refused. A closed set so it can be a bounded metrics tag. {@link Keyring} and
 * {@link ArtifactVerification} raise all but the last three, which callers raise after checking the bytes they
 * received against the index page.
 */
public enum VerificationFailure {
    MISSING_SIGNATURE,
    MALFORMED_SIGNATURE,
    UNKNOWN_KEY,
    REVOKED_KEY,
    KEY_NOT_ALLOWED_FOR_PROJECT,
    ALGORITHM_NOT_ALLOWED,
    LEGACY_TOO_LARGE,
    BAD_SIGNATURE,
    BAD_GLOBAL_SIGNATURE,
    FILE_NAME_MISSING,
    FILE_NAME_MISMATCH,
    HASH_MISMATCH,
    LENGTH_MISMATCH,
    TRUNCATED;

    /** lower_snake_case name, e.g. {@code bad_signature}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Words for a human, e.g. {@code bad signature}. */
    public String description() {
        return tag().replace('_', ' ');
    }
}
