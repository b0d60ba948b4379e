package dev.signet.fill;

import dev.signet.crypto.Blake2b512;
import java.nio.ByteBuffer;

/**
 * Runs the fill's two hashes over a few MiB of zeros once, at start-up, so that the JIT has compiled them before the
 * first real fill needs them.
 *
 * <p>Why: a cold fill cannot answer before BLAKE2b has seen its last byte, and a new JVM's first fill otherwise pays
 * for the hash running interpreted, then in C1, while C2 compiles it (measured: a new JVM's first cold 16 MB fill took
 * 0.97 s where later ones took 0.16-0.19 s). The same idea as the shared store's start-up call ({@code S3Clients}):
 * the first client should not pay for what the process can do before it arrives. Direct buffers, as the fill
 * pipeline hands them over. About 0.2 s of one core, once.
 */
public final class HashWarmUp {

    /** Enough blocks for both tiers of the JIT to pick the compression function up (C2 after about 10,000 calls). */
    static final int BYTES = 48 << 20;
    private static final int CHUNK = 1 << 20;

    private HashWarmUp() {
    }

    /** Blocking: hashes {@link #BYTES} bytes with both hashes; returns the BLAKE2b digest so nothing is optimised away. */
    public static byte[] run() {
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
        Blake2b512 blake2b = Blake2b512.create();
        ArtifactDigest sha256 = new ArtifactDigest();
        for (int done = 0; done < BYTES; done += CHUNK) {
            blake2b.update(chunk.duplicate());
            sha256.update(chunk.duplicate());
        }
        sha256.hex();
        return blake2b.digest();
    }
}
