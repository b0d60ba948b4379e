package dev.signet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RangesTest {

    /** Expected decisions written as "full", "416" or "first-last". */
    @ParameterizedTest(name = "[{0}] of {1} bytes -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        // RFC 9110 §14.1.2 examples, on a 10000-byte representation.
        "bytes=0-499                  | 10000 | 0-499",
        "bytes=500-999                | 10000 | 500-999",
        "bytes=-500                   | 10000 | 9500-9999",
        "bytes=9500-                  | 10000 | 9500-9999",
        "bytes=0-0                    | 10000 | 0-0",
        "bytes=-1                     | 10000 | 9999-9999",
        // Multiple ranges, overlapping or not: answered with the whole file.
        "bytes=0-0,-1                 | 10000 | full",
        "bytes=500-600,601-999        | 10000 | full",
        "bytes=500-700,601-999        | 10000 | full",
        "bytes=0-499, 4500-5499, -1000| 10000 | full",
        "bytes=0-10,garbage           | 10000 | full",
        // Empty list elements are allowed and ignored (§5.6.1).
        "'bytes=, 0-9 ,'              | 10000 | 0-9",
        // Clamping.
        "bytes=9000-20000             | 10000 | 9000-9999",
        "bytes=-20000                 | 10000 | 0-9999",
        "bytes=0-99999999999999999999999 | 10000 | 0-9999",
        "bytes=-99999999999999999999999  | 10000 | 0-9999",
        // Unit is case-insensitive; surrounding whitespace is optional whitespace.
        "BYTES=0-1                    | 10000 | 0-1",
        "'  bytes=0-1  '              | 10000 | 0-1",
        // Unsatisfiable: 416.
        "bytes=10000-                 | 10000 | 416",
        "bytes=10000-10001            | 10000 | 416",
        "bytes=99999999999999999999999- | 10000 | 416",
        "bytes=-0                     | 10000 | 416",
        // Invalid or foreign: ignore the header.
        "NULL                         | 10000 | full",
        "''                           | 10000 | full",
        "'   '                        | 10000 | full",
        "garbage                      | 10000 | full",
        "bytes=                       | 10000 | full",
        "bytes=,                      | 10000 | full",
        "bytes=500-499                | 10000 | full",
        "bytes=abc-def                | 10000 | full",
        "bytes=0 - 1                  | 10000 | full",
        "bytes =0-1                   | 10000 | full",
        "bytes=1-2-3                  | 10000 | full",
        "bytes=--5                    | 10000 | full",
        "bytes=+1-2                   | 10000 | full",
        "bytes=-                      | 10000 | full",
        "bytes=5                      | 10000 | full",
        "items=0-1                    | 10000 | full",
        "bytes=٠-١                    | 10000 | full",
        // An empty representation is always sent whole.
        "bytes=0-0                    | 0     | full",
        "bytes=-1                     | 0     | full",
        "bytes=0-                     | 1     | 0-0",
    })
    void decides(String header, long length, String expected) {
        RangeDecision decision = Ranges.decide(header, length);
        switch (expected) {
            case "full" -> assertThat(decision).isEqualTo(new RangeDecision.Full());
            case "416" -> assertThat(decision).isEqualTo(new RangeDecision.Unsatisfiable(length));
            default -> {
                String[] bounds = expected.split("-");
                assertThat(decision).isEqualTo(new RangeDecision.Partial(
                        new ByteRange(Long.parseLong(bounds[0]), Long.parseLong(bounds[1]))));
            }
        }
    }

    @Test
    void formatsContentRange() {
        assertThat(Ranges.contentRange(new ByteRange(0, 99), 1000)).isEqualTo("bytes 0-99/1000");
        assertThat(Ranges.contentRange(new ByteRange(999, 999), 1000)).isEqualTo("bytes 999-999/1000");
        assertThat(Ranges.unsatisfiedContentRange(1000)).isEqualTo("bytes */1000");
        assertThatThrownBy(() -> Ranges.contentRange(new ByteRange(0, 1000), 1000))
                .hasMessage("byte range 0-1000 does not fit a representation of 1000 bytes");
    }

    @Test
    void byteRangeIsInclusiveAndValidated() {
        assertThat(new ByteRange(0, 0).length()).isEqualTo(1);
        assertThat(new ByteRange(500, 999).length()).isEqualTo(500);
        assertThatThrownBy(() -> new ByteRange(-1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ByteRange(5, 4)).hasMessage("byte range last position 4 is before first 5");
        assertThatThrownBy(() -> Ranges.decide("bytes=0-1", -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
