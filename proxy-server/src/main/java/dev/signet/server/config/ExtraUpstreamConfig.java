package dev.signet.server.config;

import java.net.URI;
import java.util.List;

/**
 * One extra upstream index ({@code extra-upstreams:}): a unique name (pins refer to it), its simple-API URL (may carry
 * {@code user:pass@}), the keys trusted for the files it lists, and an optional bearer token.
 */
public record ExtraUpstreamConfig(String name, URI url, List<TrustedKeyConfig> trustedKeys, String token) {
    public ExtraUpstreamConfig {
        trustedKeys = List.copyOf(trustedKeys);
    }
}
