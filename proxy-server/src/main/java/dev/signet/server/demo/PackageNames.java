package dev.signet.server.demo;

import java.util.Locale;
import java.util.regex.Pattern;

/** Name and version rules from PEP 503, PEP 508, PEP 440 and the binary distribution format spec. */
final class PackageNames {
    /** PEP 508 distribution name, case-insensitive. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?");
    private static final Pattern SEPARATOR_RUN = Pattern.compile("[-_.]+");
    /**
     * PEP 440 versions in normalized form only: a builder that accepted "1.0-1" or "01.0" would have to pick a
     * spelling for the file name, and the index and the installer could then disagree about which file is which.
     */
    private static final Pattern CANONICAL_VERSION = Pattern.compile(
            "(?:[1-9][0-9]*!)?(?:0|[1-9][0-9]*)(?:\\.(?:0|[1-9][0-9]*))*"
                    + "(?:(?:a|b|rc)(?:0|[1-9][0-9]*))?(?:\\.post(?:0|[1-9][0-9]*))?(?:\\.dev(?:0|[1-9][0-9]*))?"
                    + "(?:\\+[a-z0-9]+(?:\\.[a-z0-9]+)*)?");

    private PackageNames() {
    }

    static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid distribution name (PEP 508): " + quote(name));
        }
        return name;
    }

    static String requireCanonicalVersion(String version) {
        if (version == null || !CANONICAL_VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("invalid or non-normalized version (PEP 440): " + quote(version));
        }
        return version;
    }

    /** PEP 503: runs of '-', '_' and '.' become one '-', then lower case. */
    static String normalize(String name) {
        return SEPARATOR_RUN.matcher(requireName(name)).replaceAll("-").toLowerCase(Locale.ROOT);
    }

    /** Wheel file names and dist-info directories: the normalized name with '_' as the only separator. */
    static String wheelEscape(String name) {
        return normalize(name).replace('-', '_');
    }

    /** The importable top-level module, which Python requires to start with a letter or underscore. */
    static String moduleName(String name) {
        String module = wheelEscape(name);
        if (Character.isDigit(module.charAt(0))) {
            throw new IllegalArgumentException("distribution name " + quote(name)
                    + " starts with a digit, so it cannot be an importable module name");
        }
        return module;
    }

    static boolean startsWithName(String requirement) {
        var matcher = NAME.matcher(requirement);
        return matcher.lookingAt();
    }

    static String quote(String value) {
        return value == null ? "null" : "'" + value + "'";
    }
}
