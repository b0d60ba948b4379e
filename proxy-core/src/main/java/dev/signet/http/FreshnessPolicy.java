package dev.signet.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a cached index page may be used, as a pure function of its age (nginx's {@code proxy_cache_valid} and
 * {@code use_stale}, Varnish's grace): fresh for {@code ttl}; then stale, meaning revalidate first and fall back to the
 * stale copy only if the upstream fails, for up to {@code maxStale} more; after that too old to serve at all. A
 * "not found" answer is remembered for {@code negativeTtl} and never served stale.
 */
public record FreshnessPolicy(Duration ttl, Duration negativeTtl, Duration maxStale) {

    public enum State {
        FRESH, STALE, TOO_OLD
    }

    public FreshnessPolicy {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(negativeTtl, "negativeTtl");
        Objects.requireNonNull(maxStale, "maxStale");
    }

    public State of(long fetchedAtMillis, long nowMillis, boolean negative) {
        long age = ageMillis(fetchedAtMillis, nowMillis);
        if (negative) {
            return age < negativeTtl.toMillis() ? State.FRESH : State.TOO_OLD;
        }
        if (age < ttl.toMillis()) {
            return State.FRESH;
        }
        return age < ttl.toMillis() + maxStale.toMillis() ? State.STALE : State.TOO_OLD;
    }

    /** Age in milliseconds; a clock that went backwards gives age zero rather than a negative age. */
    public static long ageMillis(long fetchedAtMillis, long nowMillis) {
        return Math.max(0, nowMillis - fetchedAtMillis);
    }
}
