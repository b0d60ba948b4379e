package dev.signet.index;

/** HTML escaping for the two places the renderer writes untrusted text: element text and quoted attributes. */
final class Markup {

    private Markup() {}

    static String text(String s) {
        return escape(s, false);
    }

    static String attribute(String s) {
        return escape(s, true);
    }

    private static String escape(String s, boolean quoted) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> quoted ? "&quot;" : null;
                case '\'' -> quoted ? "&#39;" : null;
                default -> null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }
}
