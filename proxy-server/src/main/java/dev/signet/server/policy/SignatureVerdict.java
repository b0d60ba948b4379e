package dev.signet.server.policy;

import dev.signet.sig.VerificationException;
import dev.signet.sig.VerificationFailure;
import java.time.Instant;

/**
 * What Signet knows of one listed file's signature: it passed every check that needs no artifact bytes (with its
 * signed timestamp, null when the trusted comment has none), or the file was refused for a reason that lasts until
 * the upstream changes the page or the signature.
 */
sealed interface SignatureVerdict {

    record Signed(Instant timestamp) implements SignatureVerdict {}

    record Refused(VerificationException reason) implements SignatureVerdict {}

    /**
     * Whether a refusal will repeat until the upstream changes something: everything but a body cut short, which is a
     * transfer failure the next try may not meet.
     */
    static boolean lasting(VerificationException e) {
        return e.failure() != VerificationFailure.TRUNCATED;
    }
}
