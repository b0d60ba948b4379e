package dev.signet.sig;

/**
 * Glob matching over PEP 503 normalized project names: {@code *} matches any run of characters (including
 * none), {@code ?} exactly one. Names are {@code [a-z0-9-]} only, so there is nothing to escape.
 */
public final class ProjectGlob {

    private ProjectGlob() {}

    /** @throws IllegalArgumentException unless {@code pattern} is non-empty and uses only {@code [a-z0-9-*?]} */
    public static void validate(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("project pattern must not be empty");
        }
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '*' || c == '?';
            if (!allowed) {
                throw new IllegalArgumentException("project pattern \"" + Printable.escape(pattern)
                        + "\" must be a PEP 503 normalized name (lowercase letters, digits, '-') with * and ?");
            }
        }
    }

    /** Linear-time wildcard match: on a mismatch, retry from the last {@code *} one character further on. */
    public static boolean matches(String pattern, String name) {
        int p = 0;
        int n = 0;
        int starAt = -1;
        int nameAtStar = 0;
        while (n < name.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n))) {
                p++;
                n++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starAt = p++;
                nameAtStar = n;
            } else if (starAt >= 0) {
                p = starAt + 1;
                n = ++nameAtStar;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
