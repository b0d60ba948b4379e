package dev.signet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpDatesTest {

    private static final Instant RFC_EXAMPLE = Instant.parse("1994-11-06T08:49:37Z");

    @Test
    void secondsThatShareACacheSlotEachFormatAsThemselves() {
        // 256 s apart: the same slot of the table of recently formatted seconds, used in turn.
        Instant a = Instant.parse("2026-11-25T10:00:00Z");
        Instant b = a.plusSeconds(256);
        for (int i = 0; i < 3; i++) {
            assertThat(HttpDates.format(a)).isEqualTo("Wed, 25 Nov 2026 10:00:00 GMT");
            assertThat(HttpDates.format(a.plusMillis(999))).isEqualTo("Wed, 25 Nov 2026 10:00:00 GMT");
            assertThat(HttpDates.format(b)).isEqualTo("Wed, 25 Nov 2026 10:04:16 GMT");
        }
        assertThat(HttpDates.format(Instant.parse("1969-12-31T23:59:59Z"))).isEqualTo("Wed, 31 Dec 1969 23:59:59 GMT");
    }

    @Test
    void formatsImfFixdateWithTwoDigitDayTruncatingToTheSecond() {
        assertThat(HttpDates.format(RFC_EXAMPLE)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDates.format(Instant.parse("2024-02-29T23:59:59.999Z"))).isEqualTo("Thu, 29 Feb 2024 23:59:59 GMT");
        assertThat(HttpDates.format(Instant.EPOCH)).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
        assertThatThrownBy(() -> HttpDates.format(Instant.parse("+10000-01-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Sun, 06 Nov 1994 08:49:37 GMT",   // IMF-fixdate
        "Sunday, 06-Nov-94 08:49:37 GMT",  // obsolete RFC 850
        "Sun Nov  6 08:49:37 1994",        // obsolete asctime
        " Sun, 06 Nov 1994 08:49:37 GMT\t",
    })
    void parsesTheThreeFormsOfTheRfcExample(String s) {
        assertThat(HttpDates.parse(s)).contains(RFC_EXAMPLE);
    }

    @Test
    void roundTrips() {
        Instant t = Instant.parse("2031-07-09T01:02:03Z");
        assertThat(HttpDates.parse(HttpDates.format(t))).contains(t);
    }

    @Test
    void acceptsALeapSecondAsTheSecondBefore() {
        assertThat(HttpDates.parse("Sat, 31 Dec 2016 23:59:60 GMT")).contains(Instant.parse("2016-12-31T23:59:59Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "yesterday",
        "Sun, 6 Nov 1994 08:49:37 GMT",    // one-digit day
        "sun, 06 Nov 1994 08:49:37 GMT",   // case-sensitive
        "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37 +0000",
        "Mon, 06 Nov 1994 08:49:37 GMT",   // wrong day of week
        "Sun, 31 Feb 1994 08:49:37 GMT",   // no such day
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:61:00 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 06-Nov-94 08:49:37 GMT",     // RFC 850 needs the long day name
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sun Nov 6 08:49:37 1994",         // asctime pads the day with a space
        "1994-11-06T08:49:37Z",
        "Sun, ٠٦ Nov 1994 08:49:37 GMT",    // non-ASCII digits
    })
    void refusesAnythingElse(String s) {
        assertThat(HttpDates.parse(s)).isEmpty();
    }

    @Test
    void nullIsNotADate() {
        assertThat(HttpDates.parse(null)).isEmpty();
    }

    @ParameterizedTest(name = "{0} in {1} -> {2}")
    @CsvSource({"94, 2025, 1994", "25, 2025, 2025", "75, 2025, 2075", "76, 2025, 1976", "00, 2025, 2000",
            "10, 2090, 2010", "99, 2048, 1999", "98, 2048, 2098"})
    void resolvesTwoDigitYearsWithinFiftyYearsOfNow(int twoDigits, int currentYear, int expected) {
        assertThat(HttpDates.fullYear(twoDigits, currentYear)).isEqualTo(expected);
    }

    @Test
    void rfc850UsesTheTwoDigitYearRule() {
        assertThat(HttpDates.parse("Thursday, 01-Jan-76 00:00:00 GMT", 2025))
                .contains(Instant.parse("1976-01-01T00:00:00Z"));
        assertThat(HttpDates.parse("Sunday, 01-Jan-productive 00:00:00 GMT", 2025)).isEmpty();
    }
}
