package dev.signet.server.config;

import dev.signet.pages.SignedPagesMode;
import java.util.List;
import java.util.Objects;

/**
 * One upstream's signed-page settings ({@code signed-pages}, {@code page-keys}; docs/signed-index.md): whether its
 * project pages must be signed, and the keys trusted for them (a key may be trusted for artifacts, pages or both).
 */
public record SignedPagesConfig(SignedPagesMode mode, List<TrustedKeyConfig> pageKeys) {

    public static final SignedPagesConfig OFF = new SignedPagesConfig(SignedPagesMode.OFF, List.of());

    public SignedPagesConfig {
        Objects.requireNonNull(mode, "mode");
        pageKeys = List.copyOf(pageKeys);
    }
}
