package dev.signet.sig;

import java.util.Locale;

/**
 * A minisign key id: eight random bytes chosen at key generation, stored little-endian in keys and signatures.
 * Printed the way minisign 0.12 prints it (16 upper-case hex digits of the little-endian value; 0.11 did not zero-pad,
 * which {@link #parseHex} accepts), so ids copied from minisign output or {@code .pub} comments compare equal.
 */
public record KeyId(long value) {

    static final int BYTES = 8;

    /**
     * Parses the hexadecimal form minisign prints; case-insensitive, 1 to 16 digits (older minisign versions did
     * not zero-pad).
     *
     * @throws IllegalArgumentException if {@code hex} is not 1 to 16 hexadecimal digits
     */
    public static KeyId parseHex(String hex) {
        if (hex == null || hex.isEmpty() || hex.length() > 16) {
            throw new IllegalArgumentException("key id must be 1 to 16 hexadecimal digits: " + Printable.escape(hex));
        }
        for (int i = 0; i < hex.length(); i++) {
            if (!isAsciiHexDigit(hex.charAt(i))) {
                throw new IllegalArgumentException("key id must be 1 to 16 hexadecimal digits: " + Printable.escape(hex));
            }
        }
        return new KeyId(Long.parseUnsignedLong(hex, 16));
    }

    private static boolean isAsciiHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static KeyId fromBytes(byte[] source, int offset) {
        return new KeyId(LittleEndian.readLong(source, offset));
    }

    void writeBytes(byte[] target, int offset) {
        LittleEndian.writeLong(target, offset, value);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%016X", value);
    }
}
