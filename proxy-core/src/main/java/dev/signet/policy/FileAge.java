package dev.signet.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * When a file was uploaded, as far as signed data says: the {@code timestamp} of its signature's trusted comment, or
 * the {@code upload-time} of a signed page. Never an unsigned page field: an attacker on the path could forge it.
 *
 * @param uploaded the signed time, or null when no signed data gives one
 * @param source   where it came from ({@code signature}, {@code signed page}), for reasons and logs
 */
public record FileAge(Instant uploaded, String source) {

    public static final FileAge UNKNOWN = new FileAge(null, "unknown");

    public static FileAge signature(Instant timestamp) {
        return new FileAge(Objects.requireNonNull(timestamp), "signature");
    }

    public static FileAge signedPage(Instant uploadTime) {
        return new FileAge(Objects.requireNonNull(uploadTime), "signed page");
    }

    public boolean known() {
        return uploaded != null;
    }
}
