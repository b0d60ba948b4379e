package dev.signet.server.index;

import dev.signet.pages.PageVerifier;
import dev.signet.pages.SignedPagesMode;
import java.util.Objects;

/** One upstream's signed-page mode and, unless it is off, the verifier holding its page keys and the edge's policy. */
public record PageSignatures(SignedPagesMode mode, PageVerifier verifier) {

    public static final PageSignatures OFF = new PageSignatures(SignedPagesMode.OFF, null);

    public PageSignatures {
        Objects.requireNonNull(mode, "mode");
        if (mode != SignedPagesMode.OFF) {
            Objects.requireNonNull(verifier, "a verifier is needed unless signed pages are off");
        }
    }

    public boolean enabled() {
        return mode != SignedPagesMode.OFF;
    }
}
