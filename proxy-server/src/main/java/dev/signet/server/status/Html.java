package dev.signet.server.status;

/**
 * HTML escaping for text and attribute values. Everything the status page shows from outside (upstream URLs, file
 * names, refusal reasons naming them, settings) goes through it: an upstream chooses its file names.
 */
final class Html {

    private Html() {
    }

    static String escape(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // Control characters (other than tab and newline) have no business on a page; show them as '?'.
                    if (c < 0x20 && c != '\n' && c != '\t' || c == 0x7f) {
                        out.append('?');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
