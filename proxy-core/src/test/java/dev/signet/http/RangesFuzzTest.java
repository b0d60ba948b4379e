package dev.signet.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * {@code Range} headers come from clients. Whatever the header and the length, the decision is never a range outside
 * the representation, a 416 names the representation's length, and a 206's {@code Content-Range} can be written.
 */
class RangesFuzzTest {

    @FuzzTest
    void decisionStaysInsideTheRepresentation(FuzzedDataProvider data) {
        long length = data.consumeBoolean() ? data.consumeLong(0, 10_000) : data.consumeLong(0, Long.MAX_VALUE);
        String header = data.consumeBoolean() ? null : data.consumeRemainingAsString();
        RangeDecision decision = Ranges.decide(header, length);
        assertThat(decision).isNotNull();
        if (decision instanceof RangeDecision.Partial partial) {
            ByteRange range = partial.range();
            assertThat(range.first()).isBetween(0L, length - 1);
            assertThat(range.last()).isBetween(range.first(), length - 1);
            assertThat(range.length()).isPositive().isLessThanOrEqualTo(length);
            assertThat(Ranges.contentRange(range, length))
                    .isEqualTo("bytes " + range.first() + "-" + range.last() + "/" + length);
        } else if (decision instanceof RangeDecision.Unsatisfiable unsatisfiable) {
            assertThat(unsatisfiable.length()).isEqualTo(length);
            assertThat(length).isPositive();
            assertThat(Ranges.unsatisfiedContentRange(length)).isEqualTo("bytes */" + length);
        } else {
            assertThat(decision).isInstanceOf(RangeDecision.Full.class);
        }
        if (header == null || length == 0) {
            assertThat(decision).isInstanceOf(RangeDecision.Full.class);
        }
    }
}
