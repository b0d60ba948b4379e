package dev.signet.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the artifact store within its disk budget: at most {@code maxBytes} of artifacts, and at least
 * {@code minFreeBytes} free on the cache's filesystem. Which entries go is Caffeine's decision (W-TinyLFU weighted by
 * size: popular artifacts stay, one-off large downloads go first). Files are deleted on {@code deleter}, never on an
 * event loop. An entry being served is pinned: if it is evicted meanwhile, its deletion waits for the last reader, so
 * eviction never pulls a file from under a transfer. An evicted artifact is simply fetched and verified again on its
 * next request.
 */
public final class StoreBudget {

    private static final Logger log = LoggerFactory.getLogger(StoreBudget.class);
    /** Caffeine weights are ints: weigh in KiB so single artifacts up to 2 TiB fit. */
    private static final long UNIT = 1024;

    private final ArtifactStore store;
    private final Executor deleter;
    private final long maxBytes;
    private final long minFreeBytes;
    private final Cache<ArtifactKey, StoredArtifact> entries;
    private final Policy.Eviction<ArtifactKey, StoredArtifact> eviction;
    private final ConcurrentHashMap<ArtifactKey, AtomicInteger> readers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ArtifactKey, StoredArtifact> deferred = new ConcurrentHashMap<>();
    private final AtomicLong evictions = new AtomicLong();
    /** Exact bytes and entries counted (Caffeine's weights are rounded to KiB). */
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong count = new AtomicLong();
    private volatile java.util.function.Consumer<ArtifactKey> onDelete = key -> { };

    public StoreBudget(ArtifactStore store, long maxBytes, long minFreeBytes, Executor deleter) {
        this.store = store;
        this.deleter = deleter;
        this.maxBytes = maxBytes;
        this.minFreeBytes = minFreeBytes;
        this.entries = Caffeine.newBuilder()
                .recordStats()
                .maximumWeight(units(maxBytes))
                .weigher((ArtifactKey key, StoredArtifact entry) -> (int) Math.min(Integer.MAX_VALUE, units(entry.record().length())))
                .executor(deleter)
                // Runs synchronously inside maintenance, so the counts never lag behind an eviction.
                .evictionListener((ArtifactKey key, StoredArtifact entry, RemovalCause cause) -> {
                    if (entry != null) {
                        uncount(entry);
                    }
                })
                .removalListener((ArtifactKey key, StoredArtifact entry, RemovalCause cause) -> {
                    if (cause.wasEvicted() && entry != null) {
                        evicted(entry);
                    }
                })
                .build();
        this.eviction = entries.policy().eviction().orElseThrow();
    }

    /** Told about every artifact eviction deletes (so in-memory views of the store can forget it). */
    public void onDelete(java.util.function.Consumer<ArtifactKey> listener) {
        this.onDelete = listener;
    }

    /** A committed or rediscovered entry now counts against the budget. */
    public void admit(StoredArtifact entry) {
        StoredArtifact previous = entries.asMap().put(entry.key(), entry);
        if (previous != null) {
            uncount(previous);
        }
        bytes.addAndGet(entry.record().length());
        count.incrementAndGet();
    }

    private void uncount(StoredArtifact entry) {
        bytes.addAndGet(-entry.record().length());
        count.decrementAndGet();
    }

    /** The entry was removed by someone else (failed re-verification, purge): stop counting it. */
    public void forget(ArtifactKey key) {
        StoredArtifact previous = entries.asMap().remove(key);
        if (previous != null) {
            uncount(previous);
        }
    }

    /**
     * Records an access answered without the file (from memory), so that the popularity eviction goes by is the
     * artifact's, not only its disk reads'. Non-blocking: eviction work runs on the deleter executor.
     */
    public void recordUse(ArtifactKey key) {
        entries.getIfPresent(key);
    }

    /**
     * Marks the start of a serve: records the access (popularity) and pins the file until the returned lease closes.
     */
    public Lease open(ArtifactKey key) {
        entries.getIfPresent(key);
        readers.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        return new Lease(key);
    }

    /** An open serve; closing it more than once is harmless. */
    public final class Lease implements AutoCloseable {
        private final ArtifactKey key;
        private boolean closed;

        private Lease(ArtifactKey key) {
            this.key = key;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            AtomicInteger count = readers.get(key);
            if (count != null && count.decrementAndGet() == 0) {
                readers.remove(key, count);
                StoredArtifact waiting = deferred.remove(key);
                if (waiting != null) {
                    // The last reader is often an event loop finishing a transfer: unlinking is disk I/O, so it
                    // runs on the deleter like every other eviction.
                    deleter.execute(() -> delete(waiting));
                }
            }
        }
    }

    private void evicted(StoredArtifact entry) {
        evictions.incrementAndGet();
        AtomicInteger count = readers.get(entry.key());
        if (count != null && count.get() > 0) {
            deferred.put(entry.key(), entry);
            // The last reader may have left between the check and the put.
            if (count.get() == 0 && deferred.remove(entry.key(), entry)) {
                delete(entry);
            }
            return;
        }
        delete(entry);
    }

    private void delete(StoredArtifact entry) {
        try {
            if (store.removeIfUnchanged(entry)) {
                log.debug("evicted {} ({} bytes)", entry.key(), entry.record().length());
                onDelete.accept(entry.key());
            }
        } catch (IOException e) {
            log.warn("cannot delete evicted {}: {}", entry.key(), e.toString());
        }
    }

    /**
     * Shrinks the budget while the filesystem has less than {@code minFreeBytes} free, and restores it when space
     * comes back. Blocking (statfs); call from a worker, e.g. after each commit and periodically.
     */
    public void enforceFreeSpace() {
        long usable;
        try {
            FileStore fs = Files.getFileStore(store.root());
            usable = fs.getUsableSpace();
        } catch (IOException e) {
            log.warn("cannot read free space of {}: {}", store.root(), e.toString());
            return;
        }
        long current = eviction.weightedSize().orElse(0) * UNIT;
        long allowed = Math.max(0, Math.min(maxBytes, current + usable - minFreeBytes));
        eviction.setMaximum(units(allowed));
        entries.cleanUp();
    }

    /** The underlying Caffeine cache, for metrics only (hit rate, evictions, weights). */
    public Cache<ArtifactKey, StoredArtifact> statistics() {
        return entries;
    }

    /** The keys currently counted (a snapshot). */
    public java.util.Set<ArtifactKey> entries() {
        return java.util.Set.copyOf(entries.asMap().keySet());
    }

    /** Bytes of the artifacts counted against the budget. */
    public long bytes() {
        return bytes.get();
    }

    public long entryCount() {
        return count.get();
    }

    public long evictionCount() {
        return evictions.get();
    }

    /** Runs pending maintenance now (tests, and after a burst of admissions). */
    public void cleanUp() {
        entries.cleanUp();
    }

    private static long units(long bytes) {
        return (bytes + UNIT - 1) / UNIT;
    }
}
