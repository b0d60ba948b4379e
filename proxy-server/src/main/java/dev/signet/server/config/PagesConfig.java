package dev.signet.server.config;

import java.time.Duration;

/**
 * Index page memory and the metadata pre-check. {@code cacheSize}: bytes of pages kept in memory (0 = automatic, an
 * eighth of the heap); {@code fetchMemory}: bytes of pages being fetched and parsed at once (0 = automatic, a quarter
 * of the heap); {@code metadataChecksPerView}: new metadata signature checks one page view may start;
 * {@code metadataCheckWait}: how long a page view waits for them.
 */
public record PagesConfig(long cacheSize, long fetchMemory, int metadataChecksPerView, Duration metadataCheckWait) {

    /** The automatic page cache size for a heap of {@code maxHeap} bytes. */
    public static long autoCacheSize(long maxHeap) {
        return Math.max(8L << 20, maxHeap / 8);
    }

    /** The automatic budget of pages in flight for a heap of {@code maxHeap} bytes. */
    public static long autoFetchMemory(long maxHeap) {
        return Math.max(16L << 20, maxHeap / 4);
    }

    public long cacheSize(long maxHeap) {
        return cacheSize > 0 ? cacheSize : autoCacheSize(maxHeap);
    }

    public long fetchMemory(long maxHeap) {
        return fetchMemory > 0 ? fetchMemory : autoFetchMemory(maxHeap);
    }
}
