package dev.signet.server.upstream;

import java.io.IOException;

/**
 * Why an upstream exchange did not produce a complete response. The kind decides what the client sees:
 * timeouts become {@code 504}, everything else {@code 502}; a clean non-200 status is reported as {@link Kind#STATUS}
 * so callers can map {@code 404} to "not here".
 */
public final class UpstreamException extends IOException {

    public enum Kind {
        CONNECT, TIMEOUT, STATUS, PROTOCOL, TRUNCATED, TOO_LARGE, CLOSED;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Kind kind;
    private final int status;
    /** The {@code Location} of a redirect status, or {@code null}. */
    private final String location;

    public UpstreamException(Kind kind, String message) {
        this(kind, 0, message, null);
    }

    public UpstreamException(Kind kind, String message, Throwable cause) {
        this(kind, 0, message, cause);
    }

    private UpstreamException(Kind kind, int status, String message, Throwable cause) {
        this(kind, status, message, cause, null);
    }

    private UpstreamException(Kind kind, int status, String message, Throwable cause, String location) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.location = location;
    }

    public static UpstreamException status(int status, String url) {
        return new UpstreamException(Kind.STATUS, status, "upstream answered " + status + " for " + url, null);
    }

    /** A non-200 status of a streamed response, with the redirect target it named (a caller decides whether to follow). */
    public static UpstreamException status(int status, String url, String location) {
        return new UpstreamException(Kind.STATUS, status, "upstream answered " + status + " for " + url, null, location);
    }

    /** The {@code Location} header of a redirect status, or {@code null}. */
    public String location() {
        return location;
    }

    public Kind kind() {
        return kind;
    }

    /** The upstream's HTTP status for {@link Kind#STATUS}, else 0. */
    public int status() {
        return status;
    }

    public boolean isNotFound() {
        return kind == Kind.STATUS && (status == 404 || status == 410);
    }

    /** The status a client of Signet should get for this failure. */
    public int clientStatus() {
        return kind == Kind.TIMEOUT ? 504 : 502;
    }
}
