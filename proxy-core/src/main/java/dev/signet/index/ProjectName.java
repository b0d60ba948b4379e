package dev.signet.index;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** Project-name rules of the simple repository API (PEP 503 normalisation, PEP 508 validity). */
public final class ProjectName {

    private static final Pattern SEPARATOR_RUN = Pattern.compile("[-_.]+");
    private static final Pattern VALID =
            Pattern.compile("^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", Pattern.CASE_INSENSITIVE);

    private ProjectName() {}

    /** Lowercases the name and replaces every run of {@code -}, {@code _} and {@code .} by one {@code -}. */
    public static String normalize(String name) {
        Objects.requireNonNull(name, "name");
        return SEPARATOR_RUN.matcher(name).replaceAll("-").toLowerCase(Locale.ROOT);
    }

    /** Whether the name is a legal distribution name (ASCII letters and digits, with {@code ._-} inside). */
    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }
}
