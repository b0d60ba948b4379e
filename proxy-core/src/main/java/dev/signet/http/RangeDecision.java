package dev.signet.http;

/** What to answer to a request that may carry a {@code Range} header. */
public sealed interface RangeDecision {

    /** Send the whole representation with 200. */
    record Full() implements RangeDecision {
    }

    /** Send 206 with this range and a {@code Content-Range} header. */
    record Partial(ByteRange range) implements RangeDecision {
        public Partial {
            java.util.Objects.requireNonNull(range, "range");
        }
    }

    /** Send 416 with {@code Content-Range: bytes *}{@code /length}. */
    record Unsatisfiable(long length) implements RangeDecision {
    }
}
