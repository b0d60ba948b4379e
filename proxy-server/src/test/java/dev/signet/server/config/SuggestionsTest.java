package dev.signet.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuggestionsTest {

    private static final List<String> KNOWN = List.of("index-ttl", "max-stale", "role", "upstream-timeouts.first-byte",
            "SIGNET_INDEX_TTL", "SIGNET_ROLE", "SIGNET_LOG_LEVEL");

    @ParameterizedTest(name = "{0} -> ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "index-tll                    | index-ttl",
            "max-stal                     | max-stale",
            "upstream-timeouts.frist-byte | upstream-timeouts.first-byte",
            "SIGNET_INDEX_TLL             | SIGNET_INDEX_TTL",
            "SIGNET_LOG_LEVL              | SIGNET_LOG_LEVEL",
            "rol                          | role",
            // Regression: the shared SIGNET_ prefix made any short variable look like SIGNET_ROLE.
            "SIGNET_NOPE                  | ''",
            "colour                       | ''",
    })
    void suggestsOnlyANameCloseEnoughToBeTheOneMeant(String written, String expected) {
        assertThat(Suggestions.closest(written, KNOWN).orElse("")).isEqualTo(expected);
    }
}
