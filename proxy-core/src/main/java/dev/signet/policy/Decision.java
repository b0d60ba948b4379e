package dev.signet.policy;

import java.time.Instant;
import java.util.Locale;

/** What the policy says about one file at one instant: allowed, or refused with a one-line reason. */
public sealed interface Decision {

    /** Why a file was refused; a closed set, so it can be a bounded metrics tag. */
    enum Reason {
        /** Younger than its min-age. */
        TOO_NEW,
        /** Its age is not known from signed data while a min-age applies. */
        UNKNOWN_AGE,
        /** A block rule (config or admin API) names it. */
        BLOCKED_RULE,
        /** An imported advisory (OSV) names its version. */
        ADVISORY;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** @param uploaded the signed upload time when known (for PEP 700 {@code upload-time}), else null */
    record Allowed(Instant uploaded) implements Decision {}

    /**
     * @param reason      the kind of refusal
     * @param rule        what matched, as the operator wrote it: a block rule, an advisory id, {@code min-age 7d}
     * @param message     the one-line reason for a {@code 403} body and the log
     * @param allowedFrom when a too-new file comes of age (so a page can be shown again then), else null
     */
    record Refused(Reason reason, String rule, String message, Instant allowedFrom) implements Decision {}

    default boolean allowed() {
        return this instanceof Allowed;
    }
}
