package dev.signet.pages;

import java.util.Locale;

/** Per upstream: whether its project pages must be signed (docs/signed-index.md, section 4). */
public enum SignedPagesMode {
    /** Pages are not checked. */
    OFF,
    /** Signed pages are checked; unsigned ones are used until the project has been seen signed once. */
    PREFER,
    /** Every page must carry a valid signature. */
    REQUIRE;

    public static SignedPagesMode parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "off" -> OFF;
            case "prefer" -> PREFER;
            case "require" -> REQUIRE;
            default -> throw new IllegalArgumentException("expected off, prefer or require, got '" + text + "'");
        };
    }

    public String setting() {
        return name().toLowerCase(Locale.ROOT);
    }
}
