package dev.signet.server.status;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How each upstream host answered lately, from the exchanges Signet made anyway (no probing of its own): the last
 * outcome and when, the last success, and how many exchanges in a row failed. An answer with a status (even
 * {@code 404}) means the upstream is up; {@code 5xx} and the failure kinds (timeout, connect, reset, ...) mean it is
 * not.
 */
public final class UpstreamHealth {

    /** What is known of one host; {@code lastOk} is {@code null} when it never answered well. */
    public record Host(String lastOutcome, Instant lastAt, Instant lastOk, int failuresInARow, long exchanges) {
        public boolean healthy() {
            return failuresInARow == 0;
        }
    }

    private final InstantSource clock;
    private final ConcurrentHashMap<String, Host> hosts = new ConcurrentHashMap<>();

    public UpstreamHealth(InstantSource clock) {
        this.clock = clock;
    }

    /** {@code outcome}: a status class ({@code 2xx}..{@code 5xx}) or a failure kind, as the listener reports it. */
    public void exchanged(String host, String outcome) {
        if (host == null) {
            return;
        }
        Instant now = clock.instant();
        boolean ok = isUp(outcome);
        hosts.compute(host.toLowerCase(Locale.ROOT), (k, old) -> new Host(outcome, now,
                ok ? now : old == null ? null : old.lastOk(),
                ok ? 0 : (old == null ? 0 : old.failuresInARow()) + 1,
                (old == null ? 0 : old.exchanges()) + 1));
    }

    /** What is known of {@code host}, or {@code null} when Signet has not contacted it yet. */
    public Host of(String host) {
        return host == null ? null : hosts.get(host.toLowerCase(Locale.ROOT));
    }

    static boolean isUp(String outcome) {
        return outcome.equals("2xx") || outcome.equals("3xx") || outcome.equals("4xx");
    }
}
