package dev.signet.server.artifact;

import dev.signet.store.ArtifactKey;
import dev.signet.store.ArtifactRecord;
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
 * A verified artifact, ready to send: a file of the store opened before its identity check (so the bytes sent are the
 * bytes of the file that was checked even if the path is replaced meanwhile), pinned against eviction by a lease; the
 * verified copy held by the {@link MemoryTier}; or a fill's verified temp file, answered while its commit runs
 * ({@link EarlyAnswer}). Whoever takes it must call {@link #close()} once the response is written.
 */
public final class ServableArtifact implements AutoCloseable {

    private static final int CHUNK_BYTES = 64 * 1024;

    private final ArtifactKey key;
    private final ArtifactRecord record;
    /** The store's entry; null for a temp file answered before its commit. */
    private final StoredArtifact entry;
    private final CacheOutcome outcome;
    /** Exactly one of {@code channel} (with its lease), {@code memory} and {@code shared} is set. */
    private final FileChannel channel;
    private final StoreBudget.Lease lease;
    private final ByteBuf memory;
    private final SharedFile shared;
    private boolean closed;

    private ServableArtifact(ArtifactKey key, ArtifactRecord record, StoredArtifact entry, CacheOutcome outcome,
                             FileChannel channel, StoreBudget.Lease lease, ByteBuf memory, SharedFile shared) {
        this.key = key;
        this.record = record;
        this.entry = entry;
        this.outcome = outcome;
        this.channel = channel;
        this.lease = lease;
        this.memory = memory;
        this.shared = shared;
    }

    static ServableArtifact onDisk(StoredArtifact entry, FileChannel channel, StoreBudget.Lease lease, CacheOutcome outcome) {
        return new ServableArtifact(entry.key(), entry.record(), entry, outcome, channel, lease, null, null);
    }

    /** Takes over one reference to {@code bytes}. */
    static ServableArtifact inMemory(StoredArtifact entry, ByteBuf bytes) {
        return new ServableArtifact(entry.key(), entry.record(), entry, CacheOutcome.HIT, null, null, bytes, null);
    }

    /** A fill's verified temp file, before its commit ends; takes over one reference to {@code file}. */
    static ServableArtifact verifiedTemp(ArtifactKey key, ArtifactRecord record, SharedFile file, CacheOutcome outcome) {
        return new ServableArtifact(key, record, null, outcome, null, null, null, file);
    }

    public ArtifactKey key() {
        return key;
    }

    /** The store's entry this serve opened; not for a temp file answered before its commit. */
    public StoredArtifact entry() {
        if (entry == null) {
            throw new IllegalStateException("answered from the fill's temp file, before its commit");
        }
        return entry;
    }

    public CacheOutcome outcome() {
        return outcome;
    }

    /** The opened file; only for an artifact served from the store's disk. */
    FileChannel channel() {
        if (channel == null) {
            throw new IllegalStateException("not served from the store's disk");
        }
        return channel;
    }

    public long length() {
        return record.length();
    }

    public String etag() {
        return "\"sha256-" + record.sha256Hex() + "\"";
    }

    public Instant lastModified() {
        return Instant.ofEpochMilli(record.verifiedAtMillis());
    }

    public ServableArtifact withOutcome(CacheOutcome newOutcome) {
        return new ServableArtifact(key, record, entry, newOutcome, channel, lease, memory, shared);
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
        if (shared != null) {
            return zeroCopy ? shared.region(start, count) : shared.chunks(start, count, CHUNK_BYTES);
        }
        if (zeroCopy) {
            return new DefaultFileRegion(channel, start, count);
        }
        try {
            return new HttpChunkedInput(new ChunkedNioFile(channel, start, count, CHUNK_BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Ends the serve: closes the file (if a file region has not already) and unpins the entry, or drops the memory or
     * shared-file reference. Idempotent.
     */
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
        if (shared != null) {
            shared.release();
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
