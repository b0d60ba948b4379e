package dev.signet.publish;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The trusted comment of a page signature, format version 1 (docs/signed-index.md, section 2):
 * {@code signet-page:1<TAB>project:P<TAB>serial:N<TAB>expires:T<TAB>timestamp:T<TAB>file:index.json}.
 * The publisher writes it and reads back its own earlier ones to continue the serial; an edge checks it with its own
 * verifier.
 */
public record PageComment(String project, long serial, long expires, long timestamp) {

    public static final String VERSION = "1";
    public static final String PAGE_FILE = "index.json";
    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");

    public PageComment {
        if (serial < 1) {
            throw new IllegalArgumentException("serial must be at least 1: " + serial);
        }
    }

    public String format() {
        return "signet-page:" + VERSION + "\tproject:" + project + "\tserial:" + serial + "\texpires:" + expires
                + "\ttimestamp:" + timestamp + "\tfile:" + PAGE_FILE;
    }

    /** Reads a version-1 page comment, or empty when it is not one (unknown fields are ignored, as verifiers must). */
    public static Optional<PageComment> parse(String trustedComment) {
        Map<String, String> fields = new HashMap<>();
        for (String field : trustedComment.split("\t", -1)) {
            int colon = field.indexOf(':');
            if (colon <= 0 || fields.putIfAbsent(field.substring(0, colon), field.substring(colon + 1)) != null) {
                return Optional.empty();
            }
        }
        if (!VERSION.equals(fields.get("signet-page"))) {
            return Optional.empty();
        }
        String project = fields.get("project");
        Optional<Long> serial = decimal(fields.get("serial"));
        Optional<Long> expires = decimal(fields.get("expires"));
        if (project == null || project.isEmpty() || serial.isEmpty() || serial.get() < 1 || expires.isEmpty()) {
            return Optional.empty();
        }
        long timestamp = decimal(fields.get("timestamp")).orElse(0L);
        return Optional.of(new PageComment(project, serial.get(), expires.get(), timestamp));
    }

    private static Optional<Long> decimal(String value) {
        if (value == null || !DECIMAL.matcher(value).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(value));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }
}
