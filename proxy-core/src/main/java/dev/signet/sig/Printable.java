package dev.signet.sig;

import java.util.Locale;

/**
 * Decides which characters may appear in text that ends up in logs, metrics and one-line HTTP refusals, and
 * escapes the rest. Untrusted text (file names from URLs, trusted comments chosen by signers) must never be
 * able to start a new log line or reorder what an operator reads.
 */
final class Printable {

    /** Longest escaped text put into a message; longer input is cut and marked with an ellipsis. */
    static final int MAX_ESCAPED_CHARS = 300;

    private Printable() {}

    /**
     * True for characters that break or disguise a line: C0/C1 controls and DEL, the Unicode line and paragraph
     * separators, and the bidirectional overrides and isolates that make a terminal show text in another order.
     */
    static boolean isUnsafe(int codePoint) {
        return codePoint < 0x20
                || (codePoint >= 0x7F && codePoint <= 0x9F)
                || codePoint == 0x2028
                || codePoint == 0x2029
                || (codePoint >= 0x202A && codePoint <= 0x202E)
                || (codePoint >= 0x2066 && codePoint <= 0x2069)
                || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE);
    }

    /** Escapes unsafe characters and backslashes as {@code \\uXXXX} / {@code \\\\}; {@code null} becomes "null". */
    static String escape(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_ESCAPED_CHARS) + 8);
        int i = 0;
        while (i < text.length()) {
            if (out.length() >= MAX_ESCAPED_CHARS) {
                out.append("...");
                break;
            }
            int codePoint = text.codePointAt(i);
            if (codePoint == '\\') {
                out.append("\\\\");
            } else if (isUnsafe(codePoint)) {
                // All unsafe code points are in the BMP (an unpaired surrogate comes back as itself).
                out.append(String.format(Locale.ROOT, "\\u%04X", codePoint));
            } else {
                out.appendCodePoint(codePoint);
            }
            i += Character.charCount(codePoint);
        }
        return out.toString();
    }
}
