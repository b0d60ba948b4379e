package dev.signet.server.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One word for a page merged from several upstream pages: the one that says most about upstream traffic. */
class PageOutcomeTest {

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource({
            "HIT, HIT, hit",
            "HIT, REVALIDATED, revalidated",
            "REVALIDATED, MISS, miss",
            "MISS, HIT, miss",
            "STALE, MISS, stale",
            "HIT, STALE, stale",
    })
    void theOutcomeThatSaysMostAboutUpstreamTrafficWins(PageOutcome a, PageOutcome b, String merged) {
        assertThat(PageOutcome.merged(List.of(a, b)).tag()).isEqualTo(merged);
    }

    @ParameterizedTest
    @CsvSource({"HIT, hit", "REVALIDATED, revalidated", "STALE, stale", "MISS, miss", "NEGATIVE, negative"})
    void tagsAreTheAccessLogWords(PageOutcome outcome, String tag) {
        assertThat(outcome.tag()).isEqualTo(tag);
        assertThat(PageOutcome.merged(List.of(outcome)).tag()).isEqualTo(tag);
    }
}
