package dev.signet.server.config;

import dev.signet.policy.FileRule;
import dev.signet.policy.MinAge;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The supply-chain policy settings ({@code policy.*}): the min-age with its overrides, exemptions and what an unknown
 * age means; block rules; which non-malicious advisories block; an OSV export to fetch periodically (null: none);
 * whether files refused for a lasting reason are left off pages.
 */
public record PolicyConfig(MinAge minAge, List<FileRule> blocks, String advisorySeverity, Set<String> advisoryIds,
                           URI osvUrl, Duration osvFetchInterval, boolean hideRefusedFiles) {

    public static final PolicyConfig DEFAULTS = new PolicyConfig(MinAge.OFF, List.of(), null, Set.of(), null,
            Duration.ofDays(1), true);

    public PolicyConfig {
        blocks = List.copyOf(blocks);
        advisoryIds = Set.copyOf(advisoryIds);
    }
}
