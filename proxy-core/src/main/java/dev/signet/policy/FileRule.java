package dev.signet.policy;

import dev.signet.index.ProjectName;
import dev.signet.sig.ProjectGlob;
import java.util.Objects;

/**
 * One rule naming files: by exact file name ({@code file:litellm-1.82.7.tar.gz}, or a bare distribution file name),
 * by project ({@code litellm}, or a pattern {@code internal-*}), or by project and PEP 440 specifier
 * ({@code litellm==1.82.7}, {@code foo>=2,<2.1}). Used for block rules and for min-age exemptions alike.
 *
 * @param text     the rule as written (normalised), which is how the operator, the admin API and a refusal name it
 * @param project  a PEP 503 name or pattern; null for a file-name rule
 * @param versions the specifier; null when the rule covers every version
 * @param fileName the exact file name; null unless a file-name rule
 */
public record FileRule(String text, String project, VersionSpecifier versions, String fileName) {

    private static final String FILE_PREFIX = "file:";

    public FileRule {
        Objects.requireNonNull(text, "text");
        if ((project == null) == (fileName == null)) {
            throw new IllegalArgumentException("a rule names either a project or a file");
        }
    }

    /** @throws IllegalArgumentException with a reason fit for a config error or an admin API answer */
    public static FileRule parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("empty rule");
        }
        String text = raw.strip();
        if (text.startsWith(FILE_PREFIX) || FileVersion.looksLikeFile(text)) {
            String name = text.startsWith(FILE_PREFIX) ? text.substring(FILE_PREFIX.length()).strip() : text;
            if (name.isEmpty() || name.contains("/") || name.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("not a file name: \"" + name + "\"");
            }
            return new FileRule(FILE_PREFIX + name, null, null, name);
        }
        int split = 0;
        while (split < text.length() && "=!<>~".indexOf(text.charAt(split)) < 0) {
            split++;
        }
        String name = text.substring(0, split).strip();
        String project = name.contains("*") || name.contains("?") ? name.toLowerCase(java.util.Locale.ROOT) : normalize(name);
        ProjectGlob.validate(project);
        VersionSpecifier versions = split == text.length() ? null : VersionSpecifier.parse(text.substring(split));
        return new FileRule(project + (versions == null ? "" : versions.toString()), project, versions, null);
    }

    private static String normalize(String name) {
        if (!ProjectName.isValid(name)) {
            throw new IllegalArgumentException("not a project name or pattern: \"" + name + "\"");
        }
        return ProjectName.normalize(name);
    }

    /** Whether the rule covers {@code file} of {@code project} (a normalised name). */
    public boolean matches(String project, FileVersion file) {
        if (fileName != null) {
            return fileName.equals(file.fileName());
        }
        if (!ProjectGlob.matches(this.project, project)) {
            return false;
        }
        // A file whose version cannot be read is covered by a project-wide rule only, never by a version rule.
        return versions == null || (file.version() != null && versions.contains(file.version()));
    }

    @Override
    public String toString() {
        return text;
    }
}
