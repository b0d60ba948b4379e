package dev.signet.server.demo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Produces a deterministic stream of incompressible bytes chunk by chunk, so a wheel of any size can be generated
 * twice (once to hash, once to write) without ever holding it in memory. SplittableRandom's algorithm (SplitMix64)
 * is fixed by its specification, so the same seed yields the same bytes on every JDK.
 */
final class PaddingSource {
    private final SplittableRandom random;
    private long remaining;

    PaddingSource(long bytes, long seed) {
        if (bytes < 0) {
            throw new IllegalArgumentException("padding size must not be negative: " + bytes);
        }
        this.random = new SplittableRandom(seed);
        this.remaining = bytes;
    }

    /**
     * Fills the start of {@code buffer} with the next bytes and returns how many, or -1 at the end. The buffer length
     * must be a multiple of 8 so that chunk boundaries fall on whole random words and the stream does not depend on
     * how it is read.
     */
    int next(byte[] buffer) {
        if (buffer.length == 0 || buffer.length % Long.BYTES != 0) {
            throw new IllegalArgumentException("padding buffer length must be a positive multiple of 8: "
                    + buffer.length);
        }
        if (remaining == 0) {
            return -1;
        }
        int count = (int) Math.min(buffer.length, remaining);
        ByteBuffer words = ByteBuffer.wrap(buffer, 0, count).order(ByteOrder.LITTLE_ENDIAN);
        while (words.remaining() >= Long.BYTES) {
            words.putLong(random.nextLong());
        }
        if (words.hasRemaining()) {
            long tail = random.nextLong();
            while (words.hasRemaining()) {
                words.put((byte) tail);
                tail >>>= Byte.SIZE;
            }
        }
        remaining -= count;
        return count;
    }
}
