package dev.signet.pages;

import java.util.Objects;

/**
 * What an edge remembers of one project's signed pages from one upstream: the highest serial it accepted and the
 * SHA-256 of the page bytes signed with it (to tell a re-fetch from an equivocation). Its existence also means the
 * project has been seen with a valid signed page, which {@code prefer} mode then insists on (like HSTS).
 */
public record PageHistory(long highestSerial, String sha256Hex) {

    public PageHistory {
        Objects.requireNonNull(sha256Hex, "sha256Hex");
        if (highestSerial < 1) {
            throw new IllegalArgumentException("serial must be at least 1");
        }
    }
}
