package dev.signet.server.artifact;

import java.io.IOException;
import java.nio.file.AccessDeniedException;

/**
 * A cached file could not be read (permissions changed, a disk I/O error) before any byte of it was sent:
 * {@code 503 Service Unavailable} with a reason, never a partial or unverified body. The entry is kept on disk (the
 * operator may want to see it; once readable again it is re-verified before it is served) and nothing else is
 * affected. The client message names the file and the kind of fault, not the server's paths; the log has the detail.
 */
public final class CacheReadException extends RuntimeException {

    /** Bounded metric tag: {@code permission} or {@code io}. */
    private final String reason;

    private CacheReadException(String message, String reason, IOException cause) {
        super(message, cause, false, false);
        this.reason = reason;
    }

    static CacheReadException of(String filename, IOException cause) {
        boolean denied = cause instanceof AccessDeniedException;
        return new CacheReadException(filename + ": the cached copy cannot be read ("
                + (denied ? "permission denied" : "I/O error") + "); nothing was sent", denied ? "permission" : "io", cause);
    }

    public String reason() {
        return reason;
    }
}
