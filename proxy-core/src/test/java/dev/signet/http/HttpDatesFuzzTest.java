package dev.signet.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Dates in {@code If-Modified-Since}, {@code If-Unmodified-Since} and {@code If-Range} come from clients. Whatever
 * the text, parsing returns an instant or nothing; an instant it returns is a whole second that Signet can format as
 * an IMF-fixdate, which parses back to the same instant.
 */
class HttpDatesFuzzTest {

    @FuzzTest
    void parsedDatesFormatAndParseBack(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        Optional<Instant> parsed = HttpDates.parse(text);
        if (parsed.isEmpty()) {
            return;
        }
        Instant instant = parsed.get();
        assertThat(instant.getNano()).isZero();
        String formatted = HttpDates.format(instant);
        assertThat(HttpDates.parse(formatted)).contains(instant);
        assertThat(HttpDates.format(HttpDates.parse(formatted).orElseThrow())).isEqualTo(formatted);
    }
}
