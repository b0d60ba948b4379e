package dev.signet.index;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * Turns the hrefs and urls found in index pages into absolute {@link URI}s, the way browsers and pip do:
 * characters that are not legal in a URI (spaces, non-ASCII, {@code <>"{}|\^`}) are percent-encoded,
 * existing {@code %XX} escapes are kept, and relative references are resolved against the page's base.
 */
final class Hrefs {

    /** ASCII characters a URI may contain as they are (unreserved and reserved, minus the brackets). */
    private static final boolean[] ALWAYS_ALLOWED = new boolean[128];

    static {
        String allowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?@!$&'()*+,;=";
        for (int i = 0; i < allowed.length(); i++) {
            ALWAYS_ALLOWED[allowed.charAt(i)] = true;
        }
    }

    private Hrefs() {}

    /** A page URL is the base of every relative link on it, so it must be absolute. */
    static void requireAbsolute(URI pageUrl) {
        if (pageUrl == null || !pageUrl.isAbsolute() || pageUrl.isOpaque()) {
            throw new IllegalArgumentException("page URL must be absolute and hierarchical: " + pageUrl);
        }
    }

    /** A reference split at its first {@code #}; {@code fragment} is null when there was none. */
    record Split(URI target, String fragment) {}

    /**
     * Resolves {@code reference} against {@code base} and splits off the fragment.
     *
     * @throws URISyntaxException when the reference stays unparseable even after escaping
     */
    static Split resolve(URI base, String reference) throws URISyntaxException {
        String cleaned = stripWhitespace(reference);
        int hash = cleaned.indexOf('#');
        String fragment = hash < 0 ? null : cleaned.substring(hash + 1);
        String withoutFragment = hash < 0 ? cleaned : cleaned.substring(0, hash);
        URI ref = new URI(escapeIllegal(withoutFragment));
        return new Split(absolute(base, ref), fragment);
    }

    /** The last path segment, percent-decoded as UTF-8 ({@code +} stays {@code +}); "" for a directory URL. */
    static String lastSegment(URI uri) {
        String path = uri.getRawPath();
        if (path == null) {
            return "";
        }
        return percentDecode(path.substring(path.lastIndexOf('/') + 1));
    }

    private static URI absolute(URI base, URI ref) throws URISyntaxException {
        if (ref.isAbsolute()) {
            return ref;
        }
        // java.net.URI follows RFC 2396, which differs from RFC 3986 (and browsers) for an empty base path
        // ("http://h" + "x" would give "http://hx") and for empty or query-only references.
        String origin = base.getScheme() + ":" + (base.getRawAuthority() == null ? "" : "//" + base.getRawAuthority());
        String basePath = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
        String raw = ref.toString();
        if (raw.isEmpty()) {
            return new URI(origin + basePath + (base.getRawQuery() == null ? "" : "?" + base.getRawQuery()));
        }
        if (raw.startsWith("?")) {
            return new URI(origin + basePath + raw);
        }
        return new URI(origin + basePath).resolve(ref);
    }

    /** Browsers drop leading/trailing C0-or-space and any tab or newline inside a URL. */
    private static String stripWhitespace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) <= ' ') {
            end--;
        }
        StringBuilder out = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c != '\t' && c != '\n' && c != '\r') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Percent-encodes what a URI may not contain. Square brackets stay only inside the authority, where
     * they delimit an IPv6 literal; a {@code %} not followed by two hex digits becomes {@code %25}.
     */
    static String escapeIllegal(String s) {
        int authorityEnd = authorityEnd(s);
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int len = Character.charCount(cp);
            if (cp < 128 && ALWAYS_ALLOWED[cp]) {
                out.append((char) cp);
            } else if (cp == '%' && isHex(s, i + 1) && isHex(s, i + 2)) {
                out.append('%');
            } else if ((cp == '[' || cp == ']') && i < authorityEnd) {
                out.append((char) cp);
            } else {
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
                }
            }
            i += len;
        }
        return out.toString();
    }

    /** Index just past the authority of "scheme://auth..." or "//auth...", or 0 when there is none. */
    private static int authorityEnd(String s) {
        int start;
        int sep = s.indexOf("://");
        if (s.startsWith("//")) {
            start = 2;
        } else if (sep > 0 && isScheme(s, sep)) {
            start = sep + 3;
        } else {
            return 0;
        }
        int end = start;
        while (end < s.length() && "/?".indexOf(s.charAt(end)) < 0) {
            end++;
        }
        return end;
    }

    /** RFC 3986 scheme: a letter, then letters, digits, {@code +}, {@code -} or {@code .}. */
    private static boolean isScheme(String s, int end) {
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!letter && (i == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(String s, int i) {
        return i < s.length() && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 128;
    }

    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) == '%' && isHex(s, i + 1) && isHex(s, i + 2)) {
                bytes.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 3;
            } else {
                int cp = s.codePointAt(i);
                byte[] encoded = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(cp);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
