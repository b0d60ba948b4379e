package dev.signet.server.config;

import java.net.URI;
import java.util.List;

/**
 * One extra upstream index ({@code extra-upstreams:}): a unique name (pins refer to it), its simple-API URL (may carry
 * {@code user:pass@}), the keys trusted for the files it lists, an optional bearer token, and its signed-page settings.
 */
public record ExtraUpstreamConfig(String name, URI url, List<TrustedKeyConfig> trustedKeys, String token,
                                  SignedPagesConfig pages) {
    public ExtraUpstreamConfig {
        trustedKeys = List.copyOf(trustedKeys);
        java.util.Objects.requireNonNull(pages, "pages");
    }

    /** Without signed pages. */
    public ExtraUpstreamConfig(String name, URI url, List<TrustedKeyConfig> trustedKeys, String token) {
        this(name, url, trustedKeys, token, SignedPagesConfig.OFF);
    }
}
