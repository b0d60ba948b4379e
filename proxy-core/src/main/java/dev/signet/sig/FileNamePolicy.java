package dev.signet.sig;

/**
 * What to do with a signature whose trusted comment has no {@code file:} field. A {@code file:} field that is
 * present but names another file is always refused, whatever the policy.
 */
public enum FileNamePolicy {
    /** Refuse: without {@code file:}, a valid signature of one file could be replayed under another name. */
    REQUIRE,
    /** Accept, for publishers whose signing tool writes a custom trusted comment. */
    ALLOW_MISSING
}
