package dev.signet.server.origin;

/**
 * The origin will not sign a file: its upstream gave no sha256 for it, the bytes do not match it, or it lives on (or
 * redirects to) a host the origin does not fetch files from. The edge asking gets {@code 403} with this one-line
 * reason, answered {@code no-store} so no cache in between keeps it.
 */
public final class OriginRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The metric tag: {@code unlisted}, {@code sha256_mismatch} or {@code file_host}. */
    private final String reason;

    public OriginRefusedException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
