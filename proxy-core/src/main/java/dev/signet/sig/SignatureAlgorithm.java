package dev.signet.sig;

import java.util.Optional;

/** The two signature algorithms a minisign {@code .minisig} file can carry. */
public enum SignatureAlgorithm {
    /** {@code ED}: Ed25519 over the BLAKE2b-512 digest of the file; verifiable while streaming. */
    PREHASHED('E', 'D'),
    /** {@code Ed}: Ed25519 over the whole file (the signify format); needs the whole file in memory. */
    LEGACY('E', 'd');

    private final byte first;
    private final byte second;

    SignatureAlgorithm(char first, char second) {
        this.first = (byte) first;
        this.second = (byte) second;
    }

    /** The two-byte identifier as it appears on the wire. */
    String code() {
        return new String(new char[] {(char) first, (char) second});
    }

    void writeCode(byte[] target, int offset) {
        target[offset] = first;
        target[offset + 1] = second;
    }

    static Optional<SignatureAlgorithm> fromCode(byte[] source, int offset) {
        for (SignatureAlgorithm algorithm : values()) {
            if (source[offset] == algorithm.first && source[offset + 1] == algorithm.second) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }
}
