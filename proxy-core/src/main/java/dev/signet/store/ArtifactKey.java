package dev.signet.store;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names one cached artifact: a PEP 503 normalized project name and a plain file name.
 *
 * <p>Both become path components under the store root, so anything that could escape the
 * project directory, hide a file, collide with a sidecar or exceed a filesystem's 255-byte name
 * limit is refused.
 */
public record ArtifactKey(String project, String filename) {

    /** Suffix of the sidecar that holds an artifact's record. */
    static final String SIDECAR_SUFFIX = ".signet";

    /** Most filesystems limit one path component to 255 bytes. */
    static final int MAX_NAME_BYTES = 255;

    /** The sidecar name appends {@link #SIDECAR_SUFFIX}, and it must fit the same limit. */
    static final int MAX_FILENAME_BYTES = MAX_NAME_BYTES - SIDECAR_SUFFIX.length();

    /** What {@code re.sub(r"[-_.]+", "-", name).lower()} yields for a valid project name. */
    private static final Pattern NORMALIZED_PROJECT = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");

    public ArtifactKey {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(filename, "filename");
        checkProject(project);
        checkFilename(filename);
    }

    private static void checkProject(String project) {
        if (project.length() > MAX_NAME_BYTES || !NORMALIZED_PROJECT.matcher(project).matches()) {
            throw new IllegalArgumentException(
                    "project name is not a PEP 503 normalized name ([a-z0-9] runs joined by single '-'): "
                            + printable(project));
        }
    }

    private static void checkFilename(String filename) {
        if (filename.isEmpty()) {
            throw new IllegalArgumentException("artifact filename is empty");
        }
        for (int i = 0; i < filename.length(); i++) {
            char c = filename.charAt(i);
            if (c == '/' || c == '\\') {
                throw new IllegalArgumentException(
                        "artifact filename must not contain '/' or '\\': " + printable(filename));
            }
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(
                        "artifact filename must not contain control characters: " + printable(filename));
            }
        }
        if (filename.startsWith(".")) {
            // Also covers "." and "..", and keeps hidden files out of the store.
            throw new IllegalArgumentException("artifact filename must not start with '.': " + printable(filename));
        }
        if (filename.endsWith(SIDECAR_SUFFIX)) {
            throw new IllegalArgumentException(
                    "artifact filename must not end with " + SIDECAR_SUFFIX + ": " + printable(filename));
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(filename)) {
            throw new IllegalArgumentException("artifact filename is not valid Unicode: " + printable(filename));
        }
        int bytes = filename.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_FILENAME_BYTES) {
            throw new IllegalArgumentException("artifact filename is " + bytes + " bytes in UTF-8, more than "
                    + MAX_FILENAME_BYTES + " (its sidecar name must fit in " + MAX_NAME_BYTES + "): "
                    + printable(filename));
        }
    }

    /** Quotes a rejected name for an error message without echoing control characters. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 80) + 2).append('"');
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (s.length() > 80) {
            out.append("...");
        }
        return out.append('"').toString();
    }

    @Override
    public String toString() {
        return project + "/" + filename;
    }
}
