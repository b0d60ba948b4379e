package dev.signet.sig;

/** Unsigned 64-bit little-endian integers, as minisign stores key ids and scrypt limits. */
final class LittleEndian {

    private LittleEndian() {}

    static long readLong(byte[] source, int offset) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (source[offset + i] & 0xFF);
        }
        return value;
    }

    static void writeLong(byte[] target, int offset, long value) {
        long remaining = value;
        for (int i = 0; i < 8; i++) {
            target[offset + i] = (byte) remaining;
            remaining >>>= 8;
        }
    }
}
