package dev.signet.fill;

import dev.signet.sig.ArtifactVerification;
import dev.signet.sig.Keyring;
import dev.signet.sig.VerificationException;
import dev.signet.sig.VerificationFailure;
import dev.signet.store.StoredArtifact;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Re-verifies an artifact already on disk, with the signature recorded at commit and today's keyring (so a key
 * revoked since then takes effect). Used after a restart, when a file's identity changed, and in paranoid mode.
 * Blocking: reads the whole file.
 */
public final class StoredArtifactVerifier {

    private static final int BUFFER_SIZE = 256 * 1024;

    private final Keyring keyring;

    public StoredArtifactVerifier(Keyring keyring) {
        this.keyring = keyring;
    }

    /** Reads through {@code channel} (positional reads; the channel's position is not used) from the first byte. */
    public void verify(StoredArtifact entry, FileChannel channel) throws IOException, VerificationException {
        check(entry, channel, null);
    }

    /**
     * As {@link #verify}, and writes every byte read into {@code copy} (from its first byte, positional writes) in the
     * same pass: each buffer is hashed and written from the same memory, so when this returns, {@code copy} holds
     * exactly the bytes that were verified, whatever happens to the file behind {@code channel} meanwhile. One read
     * and one write of the file, no second pass; memory stays one buffer.
     */
    public void verifyInto(StoredArtifact entry, FileChannel channel, FileChannel copy)
            throws IOException, VerificationException {
        check(entry, channel, copy);
    }

    private void check(StoredArtifact entry, FileChannel channel, FileChannel copy)
            throws IOException, VerificationException {
        String fileName = entry.key().filename();
        ArtifactVerification verification = keyring.begin(entry.key().project(), fileName, entry.record().signatureFile());
        ArtifactDigest digest = new ArtifactDigest();
        long length = 0;
        ByteBuffer buf = ByteBuffer.allocate(BUFFER_SIZE);
        int n;
        while ((n = channel.read(buf.clear(), length)) >= 0) {
            if (n == 0) {
                continue;
            }
            buf.flip();
            if (copy != null) {
                writeFully(copy, buf.duplicate(), length);
            }
            length += buf.remaining();
            digest.update(buf.duplicate());
            verification.update(buf);
        }
        if (length != entry.record().length()) {
            throw new VerificationException(VerificationFailure.LENGTH_MISMATCH, fileName,
                    "cached file has " + length + " bytes, " + entry.record().length() + " were verified");
        }
        verification.finish();
        if (!ArtifactDigest.sameDigest(digest.hex(), entry.record().sha256Hex())) {
            throw new VerificationException(VerificationFailure.HASH_MISMATCH, fileName,
                    "cached file's sha256 differs from the one verified at commit");
        }
    }

    private static void writeFully(FileChannel target, ByteBuffer bytes, long position) throws IOException {
        long at = position;
        while (bytes.hasRemaining()) {
            at += target.write(bytes, at);
        }
    }
}
