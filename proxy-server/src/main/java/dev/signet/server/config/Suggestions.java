package dev.signet.server.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * "Did you mean" for a misspelt setting or variable: the known name closest to what was written, if it is close
 * enough to be the one meant ({@code index-tll} gives {@code index-ttl}; {@code colour} gives nothing).
 */
final class Suggestions {

    private static final String VARIABLE_PREFIX = "SIGNET_";

    private Suggestions() {
    }

    /**
     * The closest of {@code known} to {@code written}, within a third of its length in edits (at least 1). Variables
     * are measured without their common {@code SIGNET_} prefix, which would otherwise make any two short names look
     * alike ({@code SIGNET_NOPE} is not a misspelling of {@code SIGNET_ROLE}).
     */
    static Optional<String> closest(String written, Collection<String> known) {
        String name = withoutPrefix(written);
        int limit = Math.max(1, name.length() / 3);
        LevenshteinDistance distance = new LevenshteinDistance(limit);
        return known.stream()
                .filter(candidate -> distance.apply(name, withoutPrefix(candidate)) >= 0)
                .min(Comparator.comparingInt((String candidate) -> distance.apply(name, withoutPrefix(candidate)))
                        .thenComparing(Comparator.naturalOrder()));
    }

    private static String withoutPrefix(String name) {
        return name.startsWith(VARIABLE_PREFIX) ? name.substring(VARIABLE_PREFIX.length()) : name;
    }

    /** {@code " (did you mean X?)"}, or nothing. */
    static String didYouMean(String written, Collection<String> known) {
        return closest(written, known).map(name -> " (did you mean " + name + "?)").orElse("");
    }
}
