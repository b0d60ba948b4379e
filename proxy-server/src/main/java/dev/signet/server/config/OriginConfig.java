package dev.signet.server.config;

import dev.signet.sig.MinisignSecretKey;
import java.time.Duration;
import java.util.List;

/**
 * The signing-origin settings ({@code role: origin}, docs/deploy.md). For {@code role: edge} (the default) only
 * {@link #role} is meaningful and {@link #key} is {@code null}.
 *
 * @param key              the origin's signing key, read and decrypted at startup; never logged (its
 *                         {@code toString} names only its key id)
 * @param keySource        where the key came from, for log lines: a file path or the variable's name
 * @param allowedFileHosts hosts other than the upstream's own that file URLs and redirects may point at
 *                         (PyPI's pages link files on files.pythonhosted.org)
 * @param pageExpiry       lifetime of each page signature
 * @param refreshBefore    a page is re-signed when its signature expires within this
 * @param pageMaxAge       {@code Cache-Control: max-age} of pages for the caches in front
 * @param provenance       the PEP 740 provenance checks ({@code origin.provenance*})
 */
public record OriginConfig(Role role, MinisignSecretKey key, String keySource, List<String> allowedFileHosts,
        Duration pageExpiry, Duration refreshBefore, Duration pageMaxAge, ProvenanceConfig provenance) {

    public enum Role { EDGE, ORIGIN }

    public static final OriginConfig EDGE = new OriginConfig(Role.EDGE, null, "", List.of(), Duration.ofDays(1),
            Duration.ofHours(6), Duration.ofMinutes(1), ProvenanceConfig.OFF);

    public OriginConfig {
        allowedFileHosts = List.copyOf(allowedFileHosts);
    }

    public boolean isOrigin() {
        return role == Role.ORIGIN;
    }
}
