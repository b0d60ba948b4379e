package dev.signet.server.artifact;

import java.util.Locale;

/** How an artifact request was answered, for the access log and metrics. */
public enum CacheOutcome {
    /** Served from disk; the file's identity matched what was verified in this process. */
    HIT,
    /** Served from disk after re-verifying it (first serve after a restart, or its identity changed). */
    REVERIFIED,
    /** Fetched, verified and committed by this request's fill. */
    MISS,
    /** Joined a fill another request had started. */
    COALESCED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
