package dev.signet.http;

import java.util.ArrayList;
import java.util.List;

/**
 * Byte-range requests (RFC 9110 §14).
 *
 * <p>Choices made here, all allowed by the RFC because a server may always ignore {@code Range}:
 * a header that is missing, not in the {@code bytes} unit, or syntactically invalid yields the full
 * representation; so does a request for more than one range (we never send
 * {@code multipart/byteranges}, which installers do not use); so does any range request on an
 * empty representation. Only a single valid range is honoured, clamped to the representation.
 */
public final class Ranges {

    private static final String BYTES_UNIT = "bytes";

    private Ranges() {
    }

    /**
     * Decides how to answer {@code rangeHeader} for a representation of {@code length} bytes.
     * Whether to consider the header at all (method, {@code If-Range}) is the caller's decision.
     */
    public static RangeDecision decide(String rangeHeader, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("representation length must not be negative: " + length);
        }
        if (rangeHeader == null || length == 0) {
            return new RangeDecision.Full();
        }
        String value = Tokens.trimOws(rangeHeader);
        int eq = value.indexOf('=');
        // The unit is case-insensitive (§14.1); no whitespace is allowed around '='.
        if (eq < 0 || !value.substring(0, eq).equalsIgnoreCase(BYTES_UNIT)) {
            return new RangeDecision.Full();
        }
        List<String> specs = nonEmptyElements(value.substring(eq + 1));
        if (specs.size() != 1) {
            return new RangeDecision.Full();
        }
        return decideSingle(specs.get(0), length);
    }

    /** The {@code Content-Range} value of a 206 response, e.g. {@code bytes 0-99/1000}. */
    public static String contentRange(ByteRange r, long length) {
        if (r.last() >= length) {
            throw new IllegalArgumentException("byte range " + r.first() + "-" + r.last()
                    + " does not fit a representation of " + length + " bytes");
        }
        return BYTES_UNIT + " " + r.first() + "-" + r.last() + "/" + length;
    }

    /** The {@code Content-Range} value of a 416 response, e.g. {@code bytes *}{@code /1000}. */
    public static String unsatisfiedContentRange(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("representation length must not be negative: " + length);
        }
        return BYTES_UNIT + " */" + length;
    }

    private static RangeDecision decideSingle(String spec, long length) {
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new RangeDecision.Full();
        }
        String firstText = spec.substring(0, dash);
        String lastText = spec.substring(dash + 1);
        if (firstText.isEmpty()) {
            // suffix-range = "-" suffix-length: the last N bytes.
            long suffix = digits(lastText);
            if (suffix < 0) {
                return new RangeDecision.Full();
            }
            if (suffix == 0) {
                return new RangeDecision.Unsatisfiable(length);
            }
            return partial(Math.max(0, length - suffix), length - 1);
        }
        long first = digits(firstText);
        long last = lastText.isEmpty() ? Long.MAX_VALUE - 1 : digits(lastText);
        if (first < 0 || last < 0 || last < first) {
            // Syntactically invalid, so the whole header is ignored (§14.2).
            return new RangeDecision.Full();
        }
        if (first >= length) {
            return new RangeDecision.Unsatisfiable(length);
        }
        return partial(first, Math.min(last, length - 1));
    }

    private static RangeDecision partial(long first, long last) {
        return new RangeDecision.Partial(new ByteRange(first, last));
    }

    /**
     * 1*DIGIT as a non-negative long, saturating at {@code Long.MAX_VALUE - 1} (any position that
     * large lies beyond every representation); -1 when the text is not 1*DIGIT.
     */
    private static long digits(String text) {
        if (text.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            if (value > (Long.MAX_VALUE - 1 - (c - '0')) / 10) {
                value = Long.MAX_VALUE - 1;
            } else {
                value = value * 10 + (c - '0');
            }
        }
        return value;
    }

    /** Splits a #list on commas, trimming optional whitespace and dropping empty elements (§5.6.1). */
    private static List<String> nonEmptyElements(String list) {
        List<String> out = new ArrayList<>();
        for (String element : list.split(",", -1)) {
            String trimmed = Tokens.trimOws(element);
            if (!trimmed.isEmpty()) {
                out.add(trimmed);
            }
        }
        return out;
    }
}
