package dev.signet.fill;

import dev.signet.sig.ArtifactVerification;
import dev.signet.sig.VerificationException;
import dev.signet.sig.VerificationFailure;
import dev.signet.sig.VerificationResult;
import dev.signet.store.ArtifactRecord;
import dev.signet.store.PendingFill;
import dev.signet.store.StoredArtifact;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.InstantSource;

/**
 * The verify path of a fill. Every byte from upstream goes, in one pass, to the temp file, the signature's streaming
 * check and SHA-256. {@link #complete} commits to the cache only when the body was complete, the length and hash match
 * what the index promised, and the signature verifies; anything else leaves the cache untouched and the temp file is
 * deleted by {@link #close}. Blocking: runs on worker threads, never on an event loop.
 *
 * <p>The pass has two lanes that may run on two threads at once, because BLAKE2b alone is as slow as the disk:
 * {@link #updateSignature} (the signature's hash) and {@link #digestAndWrite} (the length check, SHA-256 and the temp
 * file). Each lane must see the body's bytes in order and from one thread at a time; {@link #complete} runs after both
 * lanes have seen the last byte. {@link #accept} runs both lanes, one after the other, for a caller on one thread.
 */
public final class VerifyingFill implements AutoCloseable {

    private final PendingFill pending;
    private final ArtifactVerification verification;
    private final ExpectedArtifact expected;
    private final byte[] signatureFile;
    private final InstantSource clock;
    private final ArtifactDigest digest = new ArtifactDigest();
    private final String fileName;
    /** Told once every check has passed, before the commit; null when nobody asked. */
    private volatile VerifiedListener onVerified;

    /**
     * Told by {@link #complete} once every check has passed and before the commit (fsync, rename, sidecar) starts, so
     * that clients waiting for this fill can be answered from the verified temp file while the commit runs.
     */
    @FunctionalInterface
    public interface VerifiedListener {
        /**
         * {@code verified} is a new read-only channel on the temp file, whose bytes are exactly the verified ones; the
         * listener owns it and closes it. It stays readable whatever the commit does next (the rename keeps the file, a
         * failed commit only unlinks it). Runs on the committing thread: it must not block.
         */
        void verified(ArtifactRecord record, FileChannel verified);
    }

    public VerifyingFill(PendingFill pending, ArtifactVerification verification, ExpectedArtifact expected,
                         byte[] signatureFile, InstantSource clock) {
        this.pending = pending;
        this.verification = verification;
        this.expected = expected;
        this.signatureFile = signatureFile.clone();
        this.clock = clock;
        this.fileName = pending.key().filename();
    }

    /** Both lanes for the bytes from {@code buf}'s position to its limit; the buffer's position is left unchanged. */
    public void accept(ByteBuffer buf) throws IOException, VerificationException {
        digestAndWrite(new ByteBuffer[] {buf.duplicate()});
        updateSignature(buf.duplicate());
    }

    /** The signature lane: consumes {@code buf} from its position to its limit. */
    public void updateSignature(ByteBuffer buf) throws VerificationException {
        verification.update(buf);
        if (verification.failedEarly()) {
            // A legacy signature over a body past its key's size cap: stop the download now; finish() says why.
            verification.finish();
        }
    }

    /**
     * The file lane: refuses a body longer than the index page lists before writing any of it, then SHA-256 and one
     * gathering write of all {@code block}'s buffers (each consumed from its position to its limit).
     */
    public void digestAndWrite(ByteBuffer[] block) throws IOException, VerificationException {
        long length = 0;
        for (ByteBuffer buf : block) {
            length += buf.remaining();
        }
        if (expected.size() != null && pending.bytesWritten() + length > expected.size()) {
            throw new VerificationException(VerificationFailure.LENGTH_MISMATCH, fileName,
                    "upstream sent more than the " + expected.size() + " bytes the index page lists");
        }
        for (ByteBuffer buf : block) {
            digest.update(buf.duplicate());
        }
        pending.write(block);
    }

    /** Puts what is written so far on disk ahead of the commit's fsync; see {@link PendingFill#syncWritten}. */
    public void syncWritten() throws IOException {
        pending.syncWritten();
    }

    public long bytesWritten() {
        return pending.bytesWritten();
    }

    /** Sets who is told when every check has passed (see {@link VerifiedListener}); before {@link #complete}. */
    public void whenVerified(VerifiedListener listener) {
        this.onVerified = listener;
    }

    /**
     * Runs every check and, only if all pass, tells the {@link VerifiedListener} (if any) and commits. {@code declaredLength} is the upstream's Content-Length or
     * {@code -1}.
     */
    public StoredArtifact complete(long declaredLength) throws IOException, VerificationException {
        long length = pending.bytesWritten();
        if (declaredLength >= 0 && length != declaredLength) {
            throw new VerificationException(VerificationFailure.TRUNCATED, fileName,
                    "received " + length + " of " + declaredLength + " bytes");
        }
        if (expected.size() != null && length != expected.size()) {
            throw new VerificationException(VerificationFailure.LENGTH_MISMATCH, fileName,
                    "received " + length + " bytes, the index page lists " + expected.size());
        }
        VerificationResult result = verification.finish();
        String sha256 = digest.hex();
        if (expected.sha256Hex() != null && !ArtifactDigest.sameDigest(sha256, expected.sha256Hex())) {
            throw new VerificationException(VerificationFailure.HASH_MISMATCH, fileName,
                    "sha256 " + sha256 + " differs from the index page's " + expected.sha256Hex());
        }
        ArtifactRecord record = new ArtifactRecord(sha256, length, result.keyId().toString(), signatureFile, clock.millis());
        VerifiedListener listener = onVerified;
        if (listener != null) {
            FileChannel verified = pending.readChannel();
            try {
                listener.verified(record, verified);
            } catch (RuntimeException | Error e) {
                verified.close();
                throw e;
            }
        }
        return pending.commit(record);
    }

    /** Aborts an uncommitted fill: the temp file is deleted. Safe to call after a commit. */
    @Override
    public void close() {
        pending.close();
    }
}
