package dev.signet.fill;

import java.util.Locale;

/**
 * What the index page promised about an artifact, checked in addition to the signature: its SHA-256 (from the
 * {@code #sha256=} fragment or the JSON {@code hashes}) and its size (PEP 700), each {@code null} when not given.
 */
public record ExpectedArtifact(String sha256Hex, Long size) {

    public static final ExpectedArtifact NOTHING = new ExpectedArtifact(null, null);

    public ExpectedArtifact {
        sha256Hex = sha256Hex == null ? null : sha256Hex.toLowerCase(Locale.ROOT);
    }
}
