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

    private Suggestions() {
    }

    /** The closest of {@code known} to {@code written}, within a third of its length in edits (at least 2). */
    static Optional<String> closest(String written, Collection<String> known) {
        int limit = Math.max(2, written.length() / 3);
        LevenshteinDistance distance = new LevenshteinDistance(limit);
        return known.stream()
                .filter(candidate -> distance.apply(written, candidate) >= 0)
                .min(Comparator.comparingInt((String candidate) -> distance.apply(written, candidate))
                        .thenComparing(Comparator.naturalOrder()));
    }

    /** {@code " (did you mean X?)"}, or nothing. */
    static String didYouMean(String written, Collection<String> known) {
        return closest(written, known).map(name -> " (did you mean " + name + "?)").orElse("");
    }
}
