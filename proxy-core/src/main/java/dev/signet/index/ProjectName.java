package dev.signet.index;

import java.util.Locale;
import java.util.Objects;

/** Project-name rules of the simple repository API (PEP 503 normalisation, PEP 508 validity). */
public final class ProjectName {


    private ProjectName() {}

    /** Lowercases the name and replaces every run of {@code -}, {@code _} and {@code .} by one {@code -}. */
    public static String normalize(String name) {
        Objects.requireNonNull(name, "name");
        // A plain scan rather than a regex: this runs on every request (routing, keys), and showed up in profiles.
        StringBuilder out = new StringBuilder(name.length());
        boolean inRun = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (isSeparator(c)) {
                if (!inRun) {
                    out.append('-');
                }
                inRun = true;
            } else {
                out.append(c);
                inRun = false;
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /** Whether the name is a legal distribution name (ASCII letters and digits, with {@code ._-} inside). */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean edge = i == 0 || i == name.length() - 1;
            if (!isAsciiAlphanumeric(c) && (edge || !isSeparator(c))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSeparator(char c) {
        return c == '-' || c == '_' || c == '.';
    }

    private static boolean isAsciiAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
