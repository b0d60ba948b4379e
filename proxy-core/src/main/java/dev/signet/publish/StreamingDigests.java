package dev.signet.publish;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Both digests of a file ({@link FileDigests}) computed while its bytes arrive in pieces, for a signing origin that
 * hashes a download as it writes it: one pass, as {@link FileCopy} does for a local file. Not thread-safe; one writer
 * at a time.
 */
public final class StreamingDigests {

    private final MessageDigest sha256;
    private final Blake2bDigest blake2b = new Blake2bDigest(512);
    private final byte[] scratch = new byte[64 * 1024];
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
        ByteBuffer view = bytes.duplicate();
        size += view.remaining();
        if (view.hasArray()) {
            int offset = view.arrayOffset() + view.position();
            sha256.update(view.array(), offset, view.remaining());
            blake2b.update(view.array(), offset, view.remaining());
            return;
        }
        while (view.hasRemaining()) {
            int n = Math.min(scratch.length, view.remaining());
            view.get(scratch, 0, n);
            sha256.update(scratch, 0, n);
            blake2b.update(scratch, 0, n);
        }
    }

    public long size() {
        return size;
    }

    /** The digests of everything hashed; call once. */
    public FileDigests finish() {
        byte[] blake = new byte[64];
        blake2b.doFinal(blake, 0);
        return new FileDigests(size, sha256.digest(), blake);
    }
}
