package dev.signet.server.status;

import dev.signet.server.artifact.FillRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything the status page shows, gathered at one moment; rendering it is a pure function ({@link StatusPage}).
 * {@code settings} is the effective configuration as {@code check-config} prints it, or {@code null} when the server
 * was started without it.
 */
public record StatusSnapshot(
        String version,
        Instant now,
        Duration uptime,
        boolean ready,
        String readiness,
        List<Upstream> upstreams,
        Cache cache,
        HitWindow.Counts hits,
        List<FillRegistry.Status> fills,
        List<RecentRefusals.Refusal> refusals,
        String settings) {

    /** A configured upstream: its name, its URL with credentials redacted, and what is known of its health. */
    public record Upstream(String name, String url, UpstreamHealth.Host health) {}

    /** The artifact store against its budget, and the memory tier. */
    public record Cache(long bytes, long maxBytes, long entries, long memoryBytes, long memoryMaxBytes) {}
}
