package dev.signet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ETagsTest {

    private static final String SHA = "0123456789abcdef".repeat(4);
    private static final String ETAG = "\"sha256-" + SHA + "\"";

    @Test
    void strongETagFromSha256() {
        assertThat(ETags.strongFromSha256(SHA)).isEqualTo(ETAG);
        assertThatThrownBy(() -> ETags.strongFromSha256(SHA.toUpperCase()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ETags.strongFromSha256("abc")).isInstanceOf(IllegalArgumentException.class);
    }

    /** RFC 9110 §8.8.3.2 comparison table, plus list and wildcard forms. */
    @ParameterizedTest(name = "[{0}] vs [{1}]: weak={2} strong={3}")
    @CsvSource(delimiter = '|', value = {
        "W/\"1\"                | W/\"1\" | true  | false",
        "W/\"1\"                | W/\"2\" | false | false",
        "W/\"1\"                | \"1\"   | true  | false",
        "\"1\"                  | \"1\"   | true  | true",
        "*                      | \"1\"   | true  | true",
        "' * '                  | W/\"1\" | true  | true",
        "'\"a\", W/\"b\", \"1\"' | \"1\"   | true  | true",
        "'\"a\",W/\"1\"'        | \"1\"   | true  | false",
        "'\"a\", \"b\"'         | \"1\"   | false | false",
        "', \"1\" ,,'           | \"1\"   | true  | true",
        "'\"x,y\", \"1\"'       | \"1\"   | true  | true",
        "'\"x,y\"'              | \"x,y\" | true  | true",
        "1                      | \"1\"   | false | false",
        "'\"1\" \"2\"'          | \"1\"   | false | false",
        "'\"1'                  | \"1\"   | false | false",
        "'w/\"1\"'              | \"1\"   | false | false",
        "'\"1\", *'             | \"1\"   | false | false",
        "''                     | \"1\"   | false | false",
    })
    void matches(String headerList, String etag, boolean weak, boolean strong) {
        assertThat(ETags.weakMatch(headerList, etag)).isEqualTo(weak);
        assertThat(ETags.strongMatch(headerList, etag)).isEqualTo(strong);
    }

    @Test
    void aMissingHeaderMatchesNothing() {
        assertThat(ETags.weakMatch(null, ETAG)).isFalse();
        assertThat(ETags.strongMatch(null, ETAG)).isFalse();
    }

    @Test
    void ourOwnETagMustBeWellFormed() {
        assertThatThrownBy(() -> ETags.weakMatch("*", "sha256-abc"))
                .hasMessage("etag is not a valid entity-tag: sha256-abc");
    }
}
