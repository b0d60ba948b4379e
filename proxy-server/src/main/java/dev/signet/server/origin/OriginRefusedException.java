package dev.signet.server.origin;

/**
 * The origin will not sign a file: its upstream gave no sha256 for it, the bytes do not match it, it lives on (or
 * redirects to) a host the origin does not fetch files from, or its PEP 740 provenance failed (or is missing where
 * required). The edge asking gets {@code 403} with this one-line
 * reason, answered {@code no-store} so no cache in between keeps it.
 */
public final class OriginRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * The metric tag: {@code unlisted}, {@code sha256_mismatch}, {@code file_host}, or for PEP 740 provenance
     * {@code provenance_missing}, {@code provenance_malformed}, {@code provenance_signature},
     * {@code provenance_subject}, {@code provenance_publisher}.
     */
    private final String reason;

    public OriginRefusedException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
