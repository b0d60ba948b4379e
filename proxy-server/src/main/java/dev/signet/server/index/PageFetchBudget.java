package dev.signet.server.index;

/**
 * Bytes of index pages being fetched and parsed at once, across all upstreams: without a bound, sixteen distinct
 * 40 MB pages at once exhaust a 512 MB heap (each is held as it arrives, joined, parsed, encoded for disk and rendered).
 * A fetch reserves bytes as its body arrives; a reservation that would pass the limit is refused, and the fetch fails
 * with {@link PageMemoryExhaustedException} (the client gets a 503 and retries), except when that fetch is the only
 * one holding anything: one page, however large (up to {@code max-page-size}), can always be read. Never blocks.
 */
public final class PageFetchBudget {

    /** A page counts this many times its size while in flight: the arriving chunks, the joined body, its parse. */
    static final int IN_FLIGHT_FACTOR = 4;

    private final long limit;
    private long reserved;
    private int holders;

    public PageFetchBudget(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    /** Bytes reserved now, for metrics and tests. */
    public synchronized long reserved() {
        return reserved;
    }

    /** One fetch's reservations, released together when it ends. */
    final class Hold {
        private long held;

        /** Reserves {@code bytes} more; false (nothing reserved) when that would pass the limit. */
        boolean grow(long bytes) {
            synchronized (PageFetchBudget.this) {
                boolean alone = holders == 0 || (holders == 1 && held > 0);
                if (reserved + bytes > limit && !alone) {
                    return false;
                }
                if (held == 0) {
                    holders++;
                }
                held += bytes;
                reserved += bytes;
                return true;
            }
        }

        void release() {
            synchronized (PageFetchBudget.this) {
                if (held > 0) {
                    reserved -= held;
                    holders--;
                    held = 0;
                }
            }
        }
    }

    Hold hold() {
        return new Hold();
    }
}
