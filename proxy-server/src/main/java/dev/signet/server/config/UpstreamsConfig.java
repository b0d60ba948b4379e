package dev.signet.server.config;

import java.util.List;
import java.util.Map;

/**
 * Settings beyond the single primary upstream: the primary's name and token, the extra upstreams, and the pins of
 * projects to one upstream (pattern to upstream name, in configuration order), and the signed-page settings.
 */
public record UpstreamsConfig(String primaryName, String primaryToken, List<ExtraUpstreamConfig> extras,
                              Map<String, String> pins, SignedPagesConfig primaryPages,
                              dev.signet.pages.PagePolicy pagePolicy) {

    public static final String DEFAULT_PRIMARY_NAME = "primary";

    public UpstreamsConfig {
        extras = List.copyOf(extras);
        pins = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(pins));
        java.util.Objects.requireNonNull(primaryPages, "primaryPages");
        java.util.Objects.requireNonNull(pagePolicy, "pagePolicy");
    }

    /** Without signed pages (every upstream {@code signed-pages: off}). */
    public UpstreamsConfig(String primaryName, String primaryToken, List<ExtraUpstreamConfig> extras,
                           Map<String, String> pins) {
        this(primaryName, primaryToken, extras, pins, SignedPagesConfig.OFF, dev.signet.pages.PagePolicy.DEFAULT);
    }
}
