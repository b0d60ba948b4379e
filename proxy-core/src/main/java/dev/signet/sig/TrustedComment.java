package dev.signet.sig;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Rules for the signed comment of a {@code .minisig} and reading its {@code file:} field. The comment is
 * shown in logs and refusals, so it must be printable; its fields are tab-separated {@code name:value} pairs
 * (minisign writes {@code timestamp:N<TAB>file:NAME<TAB>hashed}).
 */
public final class TrustedComment {

    static final String PREFIX = "trusted comment: ";
    static final int MAX_BYTES = 1024;
    private static final String FILE_FIELD = "file:";

    private TrustedComment() {}

    /** Returns a one-line reason why {@code text} is not an acceptable trusted comment, or empty when it is. */
    static Optional<String> problem(String text) {
        int length = text.getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_BYTES) {
            return Optional.of("trusted comment is " + length + " bytes, the limit is " + MAX_BYTES);
        }
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (codePoint != '\t' && Printable.isUnsafe(codePoint)) {
                return Optional.of(String.format(Locale.ROOT,
                        "trusted comment contains non-printable character U+%04X at index %d", codePoint, i));
            }
            i += Character.charCount(codePoint);
        }
        if (fileFieldCount(text) > 1) {
            return Optional.of("trusted comment has more than one file: field");
        }
        return Optional.empty();
    }

    /** The value of the {@code file:} field (the name of the file the signature is for), if the comment has one. */
    public static Optional<String> fileName(String text) {
        for (String field : text.split("\t", -1)) {
            if (field.startsWith(FILE_FIELD)) {
                return Optional.of(field.substring(FILE_FIELD.length()));
            }
        }
        return Optional.empty();
    }

    private static final String TIMESTAMP_FIELD = "timestamp:";

    /**
     * The {@code timestamp:} field minisign writes (seconds since the epoch, when the file was signed); empty when
     * the comment has none or it is not a plain decimal number of at most 12 digits.
     */
    static java.util.OptionalLong timestamp(String text) {
        for (String field : text.split("\t", -1)) {
            if (field.startsWith(TIMESTAMP_FIELD)) {
                String digits = field.substring(TIMESTAMP_FIELD.length());
                if (digits.isEmpty() || digits.length() > 12 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return java.util.OptionalLong.empty();
                }
                return java.util.OptionalLong.of(Long.parseLong(digits));
            }
        }
        return java.util.OptionalLong.empty();
    }

    private static int fileFieldCount(String text) {
        int count = 0;
        for (String field : text.split("\t", -1)) {
            if (field.startsWith(FILE_FIELD)) {
                count++;
            }
        }
        return count;
    }
}
