package dev.signet.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A temp file being filled for one key. The caller writes the body, verifies it (re-reading it if
 * needed), and then either {@link #commit commits} or {@link #close aborts}. Written by one thread at a
 * time; methods are synchronized so that an abort from another thread waits for a write in progress.
 * {@link #bytesWritten()} is readable from any thread without waiting for a write (progress reporting),
 * and {@link #syncWritten()} may flush from another thread while writes go on.
 */
public final class PendingFill implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PendingFill.class);

    private enum State { OPEN, COMMITTED, ABORTED }

    private final ArtifactStore store;
    private final ArtifactKey key;
    private final Path tempPath;
    private final FileChannel channel;
    /** Written under the lock, read without it. */
    private volatile long bytesWritten;
    /** The first failed {@link #syncWritten}: once set, this fill can never be committed. */
    private volatile IOException syncFailure;
    private State state = State.OPEN;

    PendingFill(ArtifactStore store, ArtifactKey key, Path tempPath, FileChannel channel) {
        this.store = store;
        this.key = key;
        this.tempPath = tempPath;
        this.channel = channel;
    }

    public ArtifactKey key() {
        return key;
    }

    public Path tempPath() {
        return tempPath;
    }

    /** Writes all bytes between the buffer's position and limit, advancing its position to the limit. */
    public synchronized void write(ByteBuffer buf) throws IOException {
        ensureOpen();
        while (buf.hasRemaining()) {
            bytesWritten += channel.write(buf);
        }
    }

    /** Gathering write of every buffer from its position to its limit, in order: one system call for many buffers. */
    public synchronized void write(ByteBuffer[] bufs) throws IOException {
        ensureOpen();
        long total = 0;
        for (ByteBuffer buf : bufs) {
            total += buf.remaining();
        }
        long written = 0;
        while (written < total) {
            written += channel.write(bufs);
        }
        bytesWritten += written;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    /**
     * Starts putting what was written so far on disk (fdatasync), so that the fsync in {@link #commit} finds little
     * left to do: the disk works while the rest of the body is still arriving and being hashed. Not synchronized, so
     * it runs alongside {@link #write}; the caller runs at most one at a time and none during {@link #commit}.
     * A failure is remembered and makes {@link #commit} fail: after a failed fsync Linux may drop the dirty pages and
     * report success on the next one, so a later fsync proves nothing.
     */
    public void syncWritten() throws IOException {
        try {
            channel.force(false);
        } catch (IOException e) {
            if (syncFailure == null) {
                syncFailure = e;
            }
            throw e;
        }
    }

    /** A new read-only channel on the temp file; the caller closes it. */
    public synchronized FileChannel readChannel() throws IOException {
        ensureOpen();
        return FileChannel.open(tempPath, StandardOpenOption.READ);
    }

    /**
     * Makes the verified bytes the entry for {@link #key()}, replacing any previous entry. The
     * record's length must equal {@link #bytesWritten()}. On failure the fill is aborted and no
     * entry for the key remains.
     */
    public synchronized StoredArtifact commit(ArtifactRecord record) throws IOException {
        ensureOpen();
        if (record.length() != bytesWritten) {
            throw new IllegalArgumentException("record length " + record.length() + " differs from the "
                    + bytesWritten + " bytes written for " + key);
        }
        try {
            if (syncFailure != null) {
                throw new IOException("an earlier flush of the temp file for " + key + " failed", syncFailure);
            }
            channel.force(true);
            channel.close();
            StoredArtifact stored = store.commit(key, tempPath, record);
            state = State.COMMITTED;
            return stored;
        } catch (IOException | RuntimeException | Error e) {
            abort();
            throw e;
        }
    }

    /** Aborts: deletes the temp file unless committed. Idempotent. */
    @Override
    public synchronized void close() {
        if (state == State.OPEN) {
            abort();
        }
    }

    private void abort() {
        state = State.ABORTED;
        try {
            channel.close();
            Files.deleteIfExists(tempPath);
        } catch (IOException e) {
            // Harmless for correctness: tmp/ is emptied when the store is next opened.
            LOG.warn("could not delete temp file {} of aborted fill for {}: {}", tempPath, key, e.toString());
        }
    }

    private void ensureOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("fill for " + key + " is already " + state.name().toLowerCase());
        }
    }
}
