package dev.signet.server.upstream;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits for one upstream exchange. Every exchange ends within {@code total}; a silent upstream is noticed after
 * {@code firstByte} (before the response head) or {@code idle} (between body reads).
 */
public record UpstreamTimeouts(Duration connect, Duration firstByte, Duration idle, Duration total) {

    public static final UpstreamTimeouts DEFAULTS =
            new UpstreamTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(30));

    public UpstreamTimeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(firstByte, "firstByte");
        Objects.requireNonNull(idle, "idle");
        Objects.requireNonNull(total, "total");
    }
}
