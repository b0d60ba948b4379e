package dev.signet.server.config;

import java.util.List;
import java.util.Map;

/**
 * Settings beyond the single primary upstream: the primary's name and token, the extra upstreams, and the pins of
 * projects to one upstream (pattern to upstream name, in configuration order).
 */
public record UpstreamsConfig(String primaryName, String primaryToken, List<ExtraUpstreamConfig> extras,
                              Map<String, String> pins) {

    public static final String DEFAULT_PRIMARY_NAME = "primary";

    public UpstreamsConfig {
        extras = List.copyOf(extras);
        pins = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(pins));
    }
}
