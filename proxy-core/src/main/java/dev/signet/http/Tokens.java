package dev.signet.http;

/** Small lexical helpers shared by the header parsers. */
final class Tokens {

    private Tokens() {
    }

    /** Strips optional whitespace (SP and HTAB only, §5.6.3) from both ends. */
    static String trimOws(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isOws(s.charAt(start))) {
            start++;
        }
        while (end > start && isOws(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
