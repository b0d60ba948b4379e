package dev.signet.server.artifact;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.signet.store.ArtifactKey;
import dev.signet.store.StoredArtifact;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.IllegalReferenceCountException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small, popular verified artifacts kept in (direct) memory, like Varnish's malloc storage or Squid's {@code cache_mem}.
 * A hit here is answered on the event loop with one gathering write: no worker hand-off, no open, no stat, no disk.
 *
 * <p>What makes a copy safe to serve: it is admitted only when the SHA-256 of the bytes read into memory equals the
 * digest this process verified for that entry (so a file changed on disk after its check is never captured), and it is
 * served only while the entry it was read for is still the one this process trusts ({@link #retain} compares the
 * instance). Memory is never re-read from disk, so a later change of the disk file cannot reach a client through it;
 * the disk copy's identity is checked whenever the disk copy is served, and the scrub re-verifies it.
 *
 * <p>Bounded by total bytes (Caffeine W-TinyLFU, weighted by size) and by a largest object. A copy is reference
 * counted: eviction drops the tier's reference and the memory is freed when the last response using it is written.
 */
public final class MemoryTier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MemoryTier.class);

    /** A verified copy: the bytes and the entry (record and identity) they were verified as. */
    private record Copy(StoredArtifact entry, ByteBuf bytes) {}

    private final long maxBytes;
    private final long maxObjectBytes;
    private final Cache<ArtifactKey, Copy> copies;
    private final LongAdder hits = new LongAdder();

    /** A tier of at most {@code maxBytes} holding objects of at most {@code maxObjectBytes}; 0 for either disables it. */
    public MemoryTier(long maxBytes, long maxObjectBytes) {
        this.maxBytes = Math.max(0, maxBytes);
        this.maxObjectBytes = maxBytes <= 0 ? 0 : Math.min(Math.min(maxObjectBytes, maxBytes), Integer.MAX_VALUE);
        this.copies = Caffeine.newBuilder()
                .maximumWeight(Math.max(0, maxBytes))
                .weigher((ArtifactKey key, Copy copy) -> copy.bytes().capacity())
                // Release on the thread that evicted or replaced it: a release is cheap, and a same-thread executor
                // keeps Caffeine off the common ForkJoinPool.
                .executor(Runnable::run)
                .removalListener((ArtifactKey key, Copy copy, RemovalCause cause) -> {
                    if (copy != null) {
                        copy.bytes().release();
                    }
                })
                .build();
    }

    public static MemoryTier disabled() {
        return new MemoryTier(0, 0);
    }

    public boolean enabled() {
        return maxObjectBytes > 0;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The largest artifact kept (never more than the whole tier). */
    public long maxObjectBytes() {
        return maxObjectBytes;
    }

    /** Whether an artifact of this length may be kept here. */
    public boolean accepts(long length) {
        return length > 0 && length <= maxObjectBytes;
    }

    /**
     * Non-blocking, safe on an event loop: the verified bytes of {@code current}, retained for the caller (who must
     * release them), or {@code null} when there is no copy of exactly that entry.
     */
    public ByteBuf retain(StoredArtifact current) {
        if (!enabled()) {
            return null;
        }
        Copy copy = copies.getIfPresent(current.key());
        if (copy == null || copy.entry() != current) {
            return null;
        }
        try {
            ByteBuf retained = copy.bytes().retainedDuplicate();
            hits.increment();
            return retained;
        } catch (IllegalReferenceCountException evictedMeanwhile) {
            // Evicted and released between the lookup and the retain: answer from disk instead.
            return null;
        }
    }

    /**
     * Blocking (run it on a worker): reads {@code entry}'s bytes through {@code channel} (the channel being served, whose
     * identity was just checked) and keeps them if their SHA-256 is the verified one. Returns whether a copy is held
     * now. Nothing is kept on any doubt (short read, digest mismatch, no direct memory left).
     */
    public boolean admit(StoredArtifact entry, FileChannel channel) throws IOException {
        long length = entry.record().length();
        if (!accepts(length)) {
            return false;
        }
        Copy existing = copies.getIfPresent(entry.key());
        if (existing != null && existing.entry() == entry) {
            return true;
        }
        ByteBuf bytes;
        try {
            bytes = UnpooledByteBufAllocator.DEFAULT.directBuffer((int) length, (int) length);
        } catch (OutOfMemoryError noDirectMemory) {
            log.debug("no direct memory for a {}-byte copy of {}; serving it from disk", length, entry.key().filename());
            return false;
        }
        boolean kept = false;
        try {
            if (!readFully(channel, bytes, (int) length) || !sha256Hex(bytes).equals(entry.record().sha256Hex())) {
                log.debug("{} on disk no longer matches its verified digest; not kept in memory", entry.key().filename());
                return false;
            }
            copies.put(entry.key(), new Copy(entry, bytes));
            kept = true;
            return true;
        } finally {
            if (!kept) {
                bytes.release();
            }
        }
    }

    /** Drops the copy of {@code key}, if any (purged, evicted from disk, re-verified, or refused). */
    public void invalidate(ArtifactKey key) {
        copies.invalidate(key);
    }

    /** Bytes held. */
    public long bytes() {
        return copies.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    public long entries() {
        return copies.estimatedSize();
    }

    /** Requests answered from memory. */
    public long hits() {
        return hits.sum();
    }

    /** Releases every copy; responses still being written keep theirs until they finish. */
    @Override
    public void close() {
        copies.invalidateAll();
        copies.cleanUp();
    }

    private static boolean readFully(FileChannel channel, ByteBuf into, int length) throws IOException {
        ByteBuffer target = into.nioBuffer(0, length);
        long position = 0;
        while (target.hasRemaining()) {
            int n = channel.read(target, position);
            if (n < 0) {
                return false;
            }
            position += n;
        }
        // One byte past the recorded length would mean the file grew: not the verified file.
        if (channel.read(ByteBuffer.allocate(1), position) > 0) {
            return false;
        }
        into.writerIndex(length);
        return true;
    }

    private static String sha256Hex(ByteBuf bytes) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(bytes.nioBuffer());
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
