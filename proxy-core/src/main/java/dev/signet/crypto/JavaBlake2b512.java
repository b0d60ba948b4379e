package dev.signet.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * BLAKE2b-512 without a key (RFC 7693) in Java: the {@link Blake2b512} used where libsodium cannot be loaded
 * ({@link SodiumBlake2b512} is about 1.8x faster), and the reference the native one is checked against.
 *
 * <p>Why Signet has its own: the hash is the long pole of a cold fill (the signature cannot be checked before every
 * byte of the artifact is hashed, and BLAKE2b cannot be split over cores). Bouncy Castle's {@code Blake2bDigest}, which
 * Signet used before, keeps the working vector in an array and indexes the message through the SIGMA table; it took
 * about 4.0 s of CPU per GiB here. This one keeps the whole working vector and message block in local variables,
 * with the rounds unrolled, and reads message words straight from heap arrays or direct buffers: about 2.6 s per GiB
 * on the same machine in the same run (the C {@code b2sum}, with vector instructions, takes about 1.5 s). It is
 * checked byte for byte against Bouncy Castle on random inputs split at random points, against RFC 7693's test
 * vector, and against {@code b2sum} ({@code Blake2b512Test}, {@code Blake2b512FuzzTest}).
 *
 * <p>Only the unkeyed 64-byte digest is implemented: that is the one minisign uses. Messages up to 2<sup>64</sup>
 * bytes (the high word of the byte counter is always zero). Not thread-safe.
 */
public final class JavaBlake2b512 implements Blake2b512 {

    private static final int BLOCK_BYTES = 128;

    private static final long IV0 = 0x6a09e667f3bcc908L;
    private static final long IV1 = 0xbb67ae8584caa73bL;
    private static final long IV2 = 0x3c6ef372fe94f82bL;
    private static final long IV3 = 0xa54ff53a5f1d36f1L;
    private static final long IV4 = 0x510e527fade682d1L;
    private static final long IV5 = 0x9b05688c2b3e6c1fL;
    private static final long IV6 = 0x1f83d9abfb41bd6bL;
    private static final long IV7 = 0x5be0cd19137e2179L;
    /** Parameter block word 0: digest length 64, no key, fanout 1, depth 1 (RFC 7693, section 2.5). */
    private static final long PARAMETERS = 0x01010000L | DIGEST_BYTES;

    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private long h0;
    private long h1;
    private long h2;
    private long h3;
    private long h4;
    private long h5;
    private long h6;
    private long h7;
    /** Bytes compressed so far, including the block being compressed. */
    private long counter;
    /**
     * The last block seen is held back until more input arrives or the digest is taken, because the final block is
     * compressed differently (RFC 7693 compresses the last block, even a full one, with the final flag).
     */
    private final byte[] pending = new byte[BLOCK_BYTES];
    private int pendingBytes;

    // The working vector between the two halves of a compression (see firstRounds).
    private long w0;
    private long w1;
    private long w2;
    private long w3;
    private long w4;
    private long w5;
    private long w6;
    private long w7;
    private long w8;
    private long w9;
    private long w10;
    private long w11;
    private long w12;
    private long w13;
    private long w14;
    private long w15;

    public JavaBlake2b512() {
        reset();
    }

    /** Forgets everything hashed so far. */
    @Override
    public void reset() {
        h0 = IV0 ^ PARAMETERS;
        h1 = IV1;
        h2 = IV2;
        h3 = IV3;
        h4 = IV4;
        h5 = IV5;
        h6 = IV6;
        h7 = IV7;
        counter = 0;
        pendingBytes = 0;
    }

    @Override
    public void update(byte[] input, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, input.length);
        if (length == 0) {
            return;
        }
        int taken = topUpPending(length);
        System.arraycopy(input, offset, pending, pendingBytes, taken);
        pendingBytes += taken;
        offset += taken;
        length -= taken;
        if (length == 0) {
            return;
        }
        compressPending();
        while (length > BLOCK_BYTES) {
            counter += BLOCK_BYTES;
            compress(input, offset, false);
            offset += BLOCK_BYTES;
            length -= BLOCK_BYTES;
        }
        System.arraycopy(input, offset, pending, 0, length);
        pendingBytes = length;
    }

    /** Hashes {@code input} from its position to its limit and leaves the position at the limit. */
    @Override
    public void update(ByteBuffer input) {
        if (input.hasArray()) {
            int length = input.remaining();
            update(input.array(), input.arrayOffset() + input.position(), length);
            input.position(input.limit());
            return;
        }
        ByteBuffer words = input.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int offset = words.position();
        int length = words.remaining();
        input.position(input.limit());
        if (length == 0) {
            return;
        }
        int taken = topUpPending(length);
        words.get(offset, pending, pendingBytes, taken);
        pendingBytes += taken;
        offset += taken;
        length -= taken;
        if (length == 0) {
            return;
        }
        compressPending();
        while (length > BLOCK_BYTES) {
            counter += BLOCK_BYTES;
            compress(words, offset);
            offset += BLOCK_BYTES;
            length -= BLOCK_BYTES;
        }
        words.get(offset, pending, 0, length);
        pendingBytes = length;
    }

    /** The digest of everything hashed since the last reset; then resets. */
    /** Writes the 64-byte digest at {@code offset}; then resets. */
    @Override
    public void digest(byte[] out, int offset) {
        Objects.checkFromIndexSize(offset, DIGEST_BYTES, out.length);
        counter += pendingBytes;
        Arrays.fill(pending, pendingBytes, BLOCK_BYTES, (byte) 0);
        compress(pending, 0, true);
        long[] h = {h0, h1, h2, h3, h4, h5, h6, h7};
        for (int i = 0; i < h.length; i++) {
            LITTLE_ENDIAN_LONG.set(out, offset + 8 * i, h[i]);
        }
        reset();
    }

    /**
     * How many of {@code length} new bytes go into the pending block before it is compressed: all of them when the
     * input ends inside it (it may stay the final block), otherwise what fills it.
     */
    private int topUpPending(int length) {
        return Math.min(BLOCK_BYTES - pendingBytes, length);
    }

    /** More input follows, so the full pending block is not the last: compress it as an ordinary block. */
    private void compressPending() {
        counter += BLOCK_BYTES;
        compress(pending, 0, false);
        pendingBytes = 0;
    }

    private void compress(byte[] b, int o, boolean last) {
        begin(last);
        long m0 = word(b, o);
        long m1 = word(b, o + 8);
        long m2 = word(b, o + 16);
        long m3 = word(b, o + 24);
        long m4 = word(b, o + 32);
        long m5 = word(b, o + 40);
        long m6 = word(b, o + 48);
        long m7 = word(b, o + 56);
        long m8 = word(b, o + 64);
        long m9 = word(b, o + 72);
        long m10 = word(b, o + 80);
        long m11 = word(b, o + 88);
        long m12 = word(b, o + 96);
        long m13 = word(b, o + 104);
        long m14 = word(b, o + 112);
        long m15 = word(b, o + 120);
        firstRounds(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15);
        lastRounds(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15);
        end();
    }

    /** Never the last block: {@link #digest} compresses that from {@link #pending}. */
    private void compress(ByteBuffer b, int o) {
        begin(false);
        long m0 = b.getLong(o);
        long m1 = b.getLong(o + 8);
        long m2 = b.getLong(o + 16);
        long m3 = b.getLong(o + 24);
        long m4 = b.getLong(o + 32);
        long m5 = b.getLong(o + 40);
        long m6 = b.getLong(o + 48);
        long m7 = b.getLong(o + 56);
        long m8 = b.getLong(o + 64);
        long m9 = b.getLong(o + 72);
        long m10 = b.getLong(o + 80);
        long m11 = b.getLong(o + 88);
        long m12 = b.getLong(o + 96);
        long m13 = b.getLong(o + 104);
        long m14 = b.getLong(o + 112);
        long m15 = b.getLong(o + 120);
        firstRounds(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15);
        lastRounds(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15);
        end();
    }

    private static long word(byte[] b, int offset) {
        return (long) LITTLE_ENDIAN_LONG.get(b, offset);
    }

    /** The working vector's start (RFC 7693, section 3.2). */
    private void begin(boolean last) {
        w0 = h0;
        w1 = h1;
        w2 = h2;
        w3 = h3;
        w4 = h4;
        w5 = h5;
        w6 = h6;
        w7 = h7;
        w8 = IV0;
        w9 = IV1;
        w10 = IV2;
        w11 = IV3;
        w12 = IV4 ^ counter;
        w13 = IV5;
        w14 = last ? ~IV6 : IV6;
        w15 = IV7;
    }

    private void end() {
        h0 ^= w0 ^ w8;
        h1 ^= w1 ^ w9;
        h2 ^= w2 ^ w10;
        h3 ^= w3 ^ w11;
        h4 ^= w4 ^ w12;
        h5 ^= w5 ^ w13;
        h6 ^= w6 ^ w14;
        h7 ^= w7 ^ w15;
    }

    // Rounds 0-5 and 6-11 of the compression, as two methods so that each stays under HotSpot's 8000-byte limit for
    // compiling a method (one method of twelve rounds would run interpreted, several times slower than Bouncy Castle).
    // GENERATED by proxy-core/tools/blake2b-rounds.py: do not edit by hand.
    private void firstRounds(long m0, long m1, long m2, long m3, long m4, long m5, long m6, long m7, long m8, long m9, long m10, long m11, long m12, long m13, long m14, long m15) {
        long v0 = w0, v1 = w1, v2 = w2, v3 = w3, v4 = w4, v5 = w5, v6 = w6, v7 = w7, v8 = w8, v9 = w9, v10 = w10, v11 = w11, v12 = w12, v13 = w13, v14 = w14, v15 = w15;
        // round 0
        v0 += v4 + m0; v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m1; v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m2; v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m3; v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m4; v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m5; v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m6; v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m7; v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m8; v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m9; v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m10; v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m11; v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m12; v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m13; v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m14; v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m15; v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
        // round 1
        v0 += v4 + m14; v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m10; v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m4; v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m8; v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m9; v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m15; v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m13; v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m6; v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m1; v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m12; v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m0; v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m2; v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m11; v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m7; v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m5; v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m3; v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
        // round 2
        v0 += v4 + m11; v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m8; v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m12; v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m0; v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m5; v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m2; v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m15; v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m13; v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m10; v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m14; v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m3; v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m6; v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m7; v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m1; v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m9; v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m4; v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
        // round 3
        v0 += v4 + m7; v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m9; v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m3; v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m1; v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m13; v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m12; v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m11; v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m14; v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m2; v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m6; v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m5; v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m10; v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m4; v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m0; v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m15; v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m8; v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
        // round 4
        v0 += v4 + m9; v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m0; v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m5; v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m7; v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m2; v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m4; v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m10; v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m15; v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m14; v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m1; v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m11; v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m12; v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m6; v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m8; v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m3; v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m13; v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
        // round 5
        v0 += v4 + m2; v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m12; v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m6; v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m10; v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m0; v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m11; v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m8; v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m3; v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m4; v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m13; v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m7; v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m5; v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m15; v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m14; v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m1; v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m9; v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
        w0 = v0; w1 = v1; w2 = v2; w3 = v3; w4 = v4; w5 = v5; w6 = v6; w7 = v7;
        w8 = v8; w9 = v9; w10 = v10; w11 = v11; w12 = v12; w13 = v13; w14 = v14; w15 = v15;
    }

    private void lastRounds(long m0, long m1, long m2, long m3, long m4, long m5, long m6, long m7, long m8, long m9, long m10, long m11, long m12, long m13, long m14, long m15) {
        long v0 = w0, v1 = w1, v2 = w2, v3 = w3, v4 = w4, v5 = w5, v6 = w6, v7 = w7, v8 = w8, v9 = w9, v10 = w10, v11 = w11, v12 = w12, v13 = w13, v14 = w14, v15 = w15;
        // round 6
        v0 += v4 + m12; v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m5; v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m1; v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m15; v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m14; v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m13; v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m4; v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m10; v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m0; v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m7; v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m6; v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m3; v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m9; v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m2; v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m8; v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m11; v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
        // round 7
        v0 += v4 + m13; v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m11; v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m7; v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m14; v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m12; v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m1; v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m3; v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m9; v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m5; v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m0; v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m15; v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m4; v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m8; v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m6; v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m2; v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m10; v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
        // round 8
        v0 += v4 + m6; v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m15; v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m14; v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m9; v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m11; v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m3; v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m0; v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m8; v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m12; v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m2; v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m13; v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m7; v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m1; v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m4; v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m10; v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m5; v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
        // round 9
        v0 += v4 + m10; v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m2; v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m8; v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m4; v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m7; v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m6; v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m1; v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m5; v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m15; v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m11; v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m9; v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m14; v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m3; v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m12; v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m13; v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m0; v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
        // round 10
        v0 += v4 + m0; v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m1; v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m2; v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m3; v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m4; v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m5; v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m6; v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m7; v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m8; v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m9; v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m10; v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m11; v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m12; v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m13; v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m14; v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m15; v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
        // round 11
        v0 += v4 + m14; v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m10; v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m4; v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m8; v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m9; v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m15; v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m13; v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m6; v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m1; v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m12; v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m0; v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m2; v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m11; v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m7; v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m5; v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m3; v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
        w0 = v0; w1 = v1; w2 = v2; w3 = v3; w4 = v4; w5 = v5; w6 = v6; w7 = v7;
        w8 = v8; w9 = v9; w10 = v10; w11 = v11; w12 = v12; w13 = v13; w14 = v14; w15 = v15;
    }
    // END GENERATED
}
