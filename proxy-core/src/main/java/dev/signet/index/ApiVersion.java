package dev.signet.index;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Version of the simple repository API (PEP 629): major.minor. */
public record ApiVersion(int major, int minor) {

    public static final ApiVersion V1_0 = new ApiVersion(1, 0);
    /** PEP 700: JSON pages carry {@code versions} and per-file {@code size}. */
    public static final ApiVersion V1_1 = new ApiVersion(1, 1);

    private static final Pattern SYNTAX = Pattern.compile("(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})");

    public ApiVersion {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("api version parts must not be negative: " + major + "." + minor);
        }
    }

    /**
     * Parses an upstream api-version and refuses major versions other than 1: PEP 629 tells clients to
     * stop on a major version they do not know, because its meaning may have changed incompatibly.
     */
    static ApiVersion parseSupported(String text) throws IndexFormatException {
        Matcher m = SYNTAX.matcher(text.strip());
        if (!m.matches()) {
            throw new IndexFormatException("api-version is not MAJOR.MINOR: \"" + text + "\"");
        }
        ApiVersion version = new ApiVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        if (version.major != 1) {
            throw new IndexFormatException("unsupported api-version " + version + " (only major version 1 is understood)");
        }
        return version;
    }

    /** The highest version a project page fully satisfies: 1.1 needs {@code versions} and every file's size. */
    static ApiVersion highestSatisfiedBy(ProjectPage page) {
        boolean complete = !page.versions().isEmpty()
                && page.files().stream().allMatch(file -> file.size() != null);
        return complete ? V1_1 : V1_0;
    }

    boolean isAtMost(ApiVersion other) {
        return major < other.major || (major == other.major && minor <= other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
