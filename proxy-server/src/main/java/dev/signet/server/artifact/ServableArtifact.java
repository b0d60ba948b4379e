package dev.signet.server.artifact;

import dev.signet.store.StoreBudget;
import dev.signet.store.StoredArtifact;
import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.stream.ChunkedNioFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.time.Instant;

/**
 * A verified artifact, ready to send: either a file opened before its identity check (so the bytes sent are the bytes
 * of the file that was checked even if the path is replaced meanwhile), pinned against eviction by a lease, or the
 * verified copy held by the {@link MemoryTier}. Whoever takes it must call {@link #close()} once the response is written.
 */
public final class ServableArtifact implements AutoCloseable {

    private final StoredArtifact entry;
    private final CacheOutcome outcome;
    /** Exactly one of {@code channel} (with its lease) and {@code memory} is set. */
    private final FileChannel channel;
    private final StoreBudget.Lease lease;
    private final ByteBuf memory;
    private boolean closed;

    private ServableArtifact(StoredArtifact entry, CacheOutcome outcome, FileChannel channel, StoreBudget.Lease lease,
                             ByteBuf memory) {
        this.entry = entry;
        this.outcome = outcome;
        this.channel = channel;
        this.lease = lease;
        this.memory = memory;
    }

    static ServableArtifact onDisk(StoredArtifact entry, FileChannel channel, StoreBudget.Lease lease, CacheOutcome outcome) {
        return new ServableArtifact(entry, outcome, channel, lease, null);
    }

    /** Takes over one reference to {@code bytes}. */
    static ServableArtifact inMemory(StoredArtifact entry, ByteBuf bytes) {
        return new ServableArtifact(entry, CacheOutcome.HIT, null, null, bytes);
    }

    public StoredArtifact entry() {
        return entry;
    }

    public CacheOutcome outcome() {
        return outcome;
    }

    /** The opened file; only for an artifact served from disk. */
    FileChannel channel() {
        if (channel == null) {
            throw new IllegalStateException("served from memory, no file is open");
        }
        return channel;
    }

    public long length() {
        return entry.record().length();
    }

    public String etag() {
        return "\"sha256-" + entry.record().sha256Hex() + "\"";
    }

    public Instant lastModified() {
        return Instant.ofEpochMilli(entry.record().verifiedAtMillis());
    }

    public ServableArtifact withOutcome(CacheOutcome newOutcome) {
        return new ServableArtifact(entry, newOutcome, channel, lease, memory);
    }

    /**
     * The bytes {@code [start, start + count)} as one message to write: a retained slice of the memory copy, a file
     * region (sendfile) when {@code zeroCopy}, or chunked reads of the file (TLS must encrypt them in user space). The
     * message is independent of this object's {@link #close()}; the channel writing it releases it.
     */
    public Object body(long start, long count, boolean zeroCopy) {
        if (memory != null) {
            return memory.retainedSlice((int) start, (int) count);
        }
        if (zeroCopy) {
            return new DefaultFileRegion(channel, start, count);
        }
        try {
            return new HttpChunkedInput(new ChunkedNioFile(channel, start, count, 64 * 1024));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends the serve: closes the file (if a file region has not already) and unpins the entry, or drops the memory reference. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (memory != null) {
            memory.release();
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a read-only channel cannot lose data; nothing to report.
        } finally {
            lease.close();
        }
    }
}
