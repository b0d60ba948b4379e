package dev.signet.publish;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import dev.signet.crypto.Blake2b512;

/**
 * Both digests of a file ({@link FileDigests}) computed while its bytes arrive in pieces, for a signing origin that
 * hashes a download as it writes it: one pass, as {@link FileCopy} does for a local file. Not thread-safe; one writer
 * at a time.
 */
public final class StreamingDigests {

    private final MessageDigest sha256;
    private final Blake2b512 blake2b = Blake2b512.create();
    private long size;

    public StreamingDigests() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK provides no SHA-256", e);
        }
    }

    /** Hashes the remaining bytes of {@code bytes} without moving its position. */
    public void update(ByteBuffer bytes) {
        size += bytes.remaining();
        sha256.update(bytes.duplicate());
        blake2b.update(bytes.duplicate());
    }

    public long size() {
        return size;
    }

    /** The digests of everything hashed; call once. */
    public FileDigests finish() {
        return new FileDigests(size, sha256.digest(), blake2b.digest());
    }
}
