package dev.signet.http;

import static dev.signet.http.ConditionalOutcome.NOT_MODIFIED;
import static dev.signet.http.ConditionalOutcome.PRECONDITION_FAILED;
import static dev.signet.http.ConditionalOutcome.PROCEED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionalsTest {

    private static final String ETAG = "\"sha256-abc\"";
    private static final Instant MODIFIED = Instant.parse("2024-05-01T12:00:00.750Z");
    private static final String AT = "Wed, 01 May 2024 12:00:00 GMT";
    private static final String BEFORE = "Wed, 01 May 2024 11:59:59 GMT";
    private static final String AFTER = "Wed, 01 May 2024 12:00:01 GMT";

    /**
     * Columns: method, If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since, expected.
     * "-" means the header is absent.
     */
    @ParameterizedTest(name = "{0} IM={1} IUS={2} INM={3} IMS={4} -> {5}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "GET  | -              | -         | -              | -         | PROCEED",
        // If-Match: strong comparison, * always matches an existing representation.
        "GET  | '\"sha256-abc\"' | -       | -              | -         | PROCEED",
        "GET  | '\"other\"'      | -       | -              | -         | PRECONDITION_FAILED",
        "GET  | 'W/\"sha256-abc\"' | -     | -              | -         | PRECONDITION_FAILED",
        "GET  | *                | -       | -              | -         | PROCEED",
        "GET  | 'not a tag'      | -       | -              | -         | PRECONDITION_FAILED",
        // If-Unmodified-Since, only without If-Match; second resolution.
        "GET  | -              | BEFORE    | -              | -         | PRECONDITION_FAILED",
        "GET  | -              | AT        | -              | -         | PROCEED",
        "GET  | -              | AFTER     | -              | -         | PROCEED",
        "GET  | -              | garbage   | -              | -         | PROCEED",
        "GET  | '\"sha256-abc\"' | BEFORE  | -              | -         | PROCEED",
        // If-None-Match: weak comparison; 304 for GET/HEAD, 412 otherwise.
        "GET  | -              | -         | '\"sha256-abc\"' | -       | NOT_MODIFIED",
        "HEAD | -              | -         | 'W/\"sha256-abc\"' | -     | NOT_MODIFIED",
        "GET  | -              | -         | '\"a\", \"sha256-abc\"' | - | NOT_MODIFIED",
        "GET  | -              | -         | *              | -         | NOT_MODIFIED",
        "GET  | -              | -         | '\"other\"'    | -         | PROCEED",
        "POST | -              | -         | '\"sha256-abc\"' | -       | PRECONDITION_FAILED",
        "get  | -              | -         | '\"sha256-abc\"' | -       | PRECONDITION_FAILED",
        // If-Modified-Since: GET/HEAD only, ignored when If-None-Match is present.
        "GET  | -              | -         | -              | AT        | NOT_MODIFIED",
        "GET  | -              | -         | -              | AFTER     | NOT_MODIFIED",
        "GET  | -              | -         | -              | BEFORE    | PROCEED",
        "HEAD | -              | -         | -              | AT        | NOT_MODIFIED",
        "POST | -              | -         | -              | AT        | PROCEED",
        "GET  | -              | -         | -              | garbage   | PROCEED",
        "GET  | -              | -         | '\"other\"'    | AT        | PROCEED",
        "GET  | -              | -         | '\"sha256-abc\"' | BEFORE  | NOT_MODIFIED",
        // Precedence: a failed If-Match wins over a matching If-None-Match.
        "GET  | '\"other\"'      | -       | '\"sha256-abc\"' | -       | PRECONDITION_FAILED",
        "GET  | -              | BEFORE    | -              | AT        | PRECONDITION_FAILED",
        "GET  | '\"sha256-abc\"' | -       | '\"sha256-abc\"' | -       | NOT_MODIFIED",
        // Blank values count as absent.
        "GET  | ''             | ''        | ''             | ''        | PROCEED",
    })
    void evaluatesInRfcOrder(String method, String ifMatch, String ius, String inm, String ims,
            ConditionalOutcome expected) {
        assertThat(Conditionals.evaluate(method, ifMatch, date(ius), inm, date(ims), ETAG, MODIFIED))
                .isEqualTo(expected);
    }

    private static String date(String name) {
        if (name == null) {
            return null;
        }
        return switch (name) {
            case "AT" -> AT;
            case "BEFORE" -> BEFORE;
            case "AFTER" -> AFTER;
            default -> name;
        };
    }

    @Test
    void withoutAnETagOnlyTheWildcardMatches() {
        assertThat(Conditionals.evaluate("GET", "*", null, null, null, null, MODIFIED)).isEqualTo(PROCEED);
        assertThat(Conditionals.evaluate("GET", "\"x\"", null, null, null, null, MODIFIED))
                .isEqualTo(PRECONDITION_FAILED);
        assertThat(Conditionals.evaluate("GET", null, null, "*", null, null, MODIFIED)).isEqualTo(NOT_MODIFIED);
        assertThat(Conditionals.evaluate("GET", null, null, "\"x\"", null, null, MODIFIED)).isEqualTo(PROCEED);
    }

    @Test
    void withoutALastModifiedDateConditionsAreIgnored() {
        assertThat(Conditionals.evaluate("GET", null, BEFORE, null, AT, ETAG, null)).isEqualTo(PROCEED);
    }

    @ParameterizedTest(name = "If-Range [{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "-                       | true",
        "'\"sha256-abc\"'        | true",
        "' \"sha256-abc\" '      | true",
        "'\"other\"'             | false",
        "'W/\"sha256-abc\"'      | false",
        "'\"sha256-abc\", \"x\"' | false",
        "'Wed, 01 May 2024 12:00:00 GMT' | true",
        "'Wed, 01 May 2024 11:59:59 GMT' | false",
        "'Wed, 01 May 2024 12:00:01 GMT' | false",
        "'Wednesday, 01-May-24 12:00:00 GMT' | true",
        "garbage                 | false",
        "''                      | false",
    })
    void ifRange(String ifRange, boolean allows) {
        assertThat(Conditionals.ifRangeAllows(ifRange, ETAG, MODIFIED)).isEqualTo(allows);
    }

    @Test
    void ifRangeNeverMatchesAWeakCurrentETagOrAMissingValidator() {
        assertThat(Conditionals.ifRangeAllows("W/\"sha256-abc\"", "W/\"sha256-abc\"", MODIFIED)).isFalse();
        assertThat(Conditionals.ifRangeAllows("\"sha256-abc\"", "W/\"sha256-abc\"", MODIFIED)).isFalse();
        assertThat(Conditionals.ifRangeAllows("\"sha256-abc\"", null, MODIFIED)).isFalse();
        assertThat(Conditionals.ifRangeAllows(AT, ETAG, null)).isFalse();
    }
}
