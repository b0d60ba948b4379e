package dev.signet.http;

/**
 * An inclusive range of byte positions, as in {@code Content-Range: bytes first-last/length}.
 *
 * @param first position of the first byte, zero-based
 * @param last  position of the last byte, at least {@code first}
 */
public record ByteRange(long first, long last) {

    public ByteRange {
        if (first < 0) {
            throw new IllegalArgumentException("byte range first position must not be negative: " + first);
        }
        if (last < first) {
            throw new IllegalArgumentException("byte range last position " + last + " is before first " + first);
        }
        if (last == Long.MAX_VALUE) {
            throw new IllegalArgumentException("byte range last position must be below Long.MAX_VALUE");
        }
    }

    /** Number of bytes in the range. */
    public long length() {
        return last - first + 1;
    }
}
