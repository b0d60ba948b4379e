package dev.signet.policy;

import dev.signet.sig.ProjectGlob;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The cooldown: how old a file must be before it is served, like uv's {@code exclude-newer = "7 days"} or pip's
 * {@code --uploaded-prior-to}, but enforced at the edge and measured from signed times only.
 *
 * @param all            the min-age for every project; zero = off
 * @param overrides      per project pattern, the first match wins over {@code all} (zero turns it off there)
 * @param exemptions     files (by name, project or version) that are never held back for age
 * @param unknownTooNew  whether a file whose age no signed data gives is treated as too new while a min-age applies
 */
public record MinAge(Duration all, List<Override> overrides, List<FileRule> exemptions, boolean unknownTooNew) {

    /** A min-age for the projects a pattern matches. */
    public record Override(String pattern, Duration minAge) {
        public Override {
            ProjectGlob.validate(pattern);
            requireNotNegative(minAge);
        }
    }

    public static final MinAge OFF = new MinAge(Duration.ZERO, List.of(), List.of(), true);

    public MinAge {
        requireNotNegative(all);
        overrides = List.copyOf(overrides);
        exemptions = List.copyOf(exemptions);
    }

    /** The min-age for {@code project}: its first override, else {@link #all}. */
    public Duration forProject(String project) {
        for (Override o : overrides) {
            if (ProjectGlob.matches(o.pattern(), project)) {
                return o.minAge();
            }
        }
        return all;
    }

    /** The exemption covering the file, or null. */
    public FileRule exemption(String project, FileVersion file) {
        for (FileRule rule : exemptions) {
            if (rule.matches(project, file)) {
                return rule;
            }
        }
        return null;
    }

    /** Whether any project can be held back at all (then pages need the files' signed ages). */
    public boolean active() {
        return !all.isZero() || overrides.stream().anyMatch(o -> !o.minAge().isZero());
    }

    public MinAge withExemptions(List<FileRule> more) {
        List<FileRule> all = new java.util.ArrayList<>(exemptions);
        all.addAll(more);
        return new MinAge(this.all, overrides, all, unknownTooNew);
    }

    private static void requireNotNegative(Duration d) {
        if (Objects.requireNonNull(d, "min-age").isNegative()) {
            throw new IllegalArgumentException("min-age must not be negative: " + d);
        }
    }
}
