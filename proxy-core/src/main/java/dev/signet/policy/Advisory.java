package dev.signet.policy;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One advisory about one PyPI project, as OSV describes it: the versions it lists and the version ranges
 * ({@code introduced}, {@code fixed}, {@code last_affected} events) it affects.
 *
 * @param id       {@code MAL-2025-1234}, {@code GHSA-...}, {@code PYSEC-...}
 * @param project  PEP 503 normalised project name
 * @param versions versions named explicitly, normalised where they parse
 * @param ranges   ECOSYSTEM ranges, each a list of events in the advisory's order
 * @param severity {@code low}, {@code moderate}, {@code high}, {@code critical}, or null when the advisory gives none
 */
public record Advisory(String id, String project, Set<String> versions, List<List<Event>> ranges, String severity) {

    /** One OSV range event; exactly one of the kinds. */
    public record Event(Kind kind, String version) {
        public enum Kind { INTRODUCED, FIXED, LAST_AFFECTED }
    }

    public Advisory {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(project, "project");
        versions = Set.copyOf(versions);
        ranges = ranges.stream().map(List::copyOf).toList();
        severity = severity == null ? null : severity.toLowerCase(Locale.ROOT);
    }

    /** OSV's malicious-package entries (from the OpenSSF malicious-packages project). */
    public boolean malicious() {
        return id.startsWith("MAL-");
    }

    /** Whether the advisory names {@code version} (the raw version of a file name). */
    public boolean affects(String version) {
        if (version == null) {
            return false;
        }
        if (versions.contains(version)) {
            return true;
        }
        Pep440Version parsed = Pep440Version.parse(version).orElse(null);
        if (parsed == null) {
            return false;
        }
        // 1.0 and 1.0.0 are one version (PEP 440): compare parsed, not as text.
        for (String listed : versions) {
            if (Pep440Version.parse(listed).map(parsed::equals).orElse(false)) {
                return true;
            }
        }
        for (List<Event> range : ranges) {
            if (inRange(range, parsed)) {
                return true;
            }
        }
        return false;
    }

    /**
     * OSV's evaluation of an ECOSYSTEM range: walk the events in version order; an {@code introduced} at or below the
     * version turns "affected" on, a {@code fixed} at or below it (or a {@code last_affected} below it) turns it off.
     */
    static boolean inRange(List<Event> range, Pep440Version v) {
        List<Event> sorted = range.stream().filter(e -> key(e) != null)
                .sorted((a, b) -> key(a).compareTo(key(b))).toList();
        boolean affected = false;
        for (Event e : sorted) {
            Pep440Version at = key(e);
            switch (e.kind()) {
                case INTRODUCED -> {
                    if (v.compareTo(at) >= 0) {
                        affected = true;
                    }
                }
                case FIXED -> {
                    if (v.compareTo(at) >= 0) {
                        affected = false;
                    }
                }
                case LAST_AFFECTED -> {
                    if (v.compareTo(at) > 0) {
                        affected = false;
                    }
                }
            }
        }
        return affected;
    }

    /** "0" is OSV's "the first version ever"; an event whose version does not parse is ignored. */
    private static Pep440Version key(Event e) {
        return Pep440Version.parse(e.version()).orElse(null);
    }
}
