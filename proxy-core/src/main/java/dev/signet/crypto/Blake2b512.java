package dev.signet.crypto;

import java.nio.ByteBuffer;

/**
 * BLAKE2b-512 without a key (RFC 7693): the prehash of every minisign signature Signet checks or makes.
 *
 * <p>{@link #create()} picks the fastest implementation this machine has: libsodium's (the library minisign itself
 * uses, with AVX2 where the CPU has it) when it loads and passes its self-test, otherwise Signet's own Java one. Both
 * give the same digest for the same bytes ({@code SodiumBlake2b512Test} checks them against each other); which one
 * runs is logged once at start-up. The hash is the long pole of a cold fill and of {@code signet publish}: the
 * signature cannot be checked before every byte is hashed, and BLAKE2b cannot be split over cores.
 *
 * <p>Instances are not thread-safe.
 */
public interface Blake2b512 {

    int DIGEST_BYTES = 64;

    /** A new hasher of the fastest implementation available (see {@link #implementation()}). */
    static Blake2b512 create() {
        return SodiumLoader.available() ? new SodiumBlake2b512() : new JavaBlake2b512();
    }

    /** Which implementation {@link #create()} returns, for the start-up log: "libsodium 1.0.18" or "Java". */
    static String implementation() {
        return SodiumLoader.available() ? "libsodium " + SodiumLoader.version() : "Java";
    }

    /** Forgets everything hashed so far. */
    void reset();

    void update(byte[] input, int offset, int length);

    /** Hashes {@code input} from its position to its limit and leaves the position at the limit. */
    void update(ByteBuffer input);

    /** The digest of everything hashed since the last reset; then resets. */
    default byte[] digest() {
        byte[] out = new byte[DIGEST_BYTES];
        digest(out, 0);
        return out;
    }

    /** Writes the 64-byte digest at {@code offset}; then resets. */
    void digest(byte[] out, int offset);
}
