package dev.signet.server.index;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Values kept for a TTL, loaded at most once at a time per key: concurrent misses join the load in progress. A failed
 * load is handed to its waiters and forgotten, so the next request tries again (failures are expected here, a 404 or
 * an unreachable upstream, and are not cached).
 */
final class SingleFlightCache<T> {

    private final Cache<String, T> values;
    private final ConcurrentHashMap<String, CompletableFuture<T>> loads = new ConcurrentHashMap<>();

    SingleFlightCache(Duration ttl, long maxEntries, Ticker ticker) {
        this.values = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(ttl).maximumSize(maxEntries).build();
    }

    CompletableFuture<T> get(String key, Function<String, CompletableFuture<T>> loader) {
        T cached = values.getIfPresent(key);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        CompletableFuture<T> promise = new CompletableFuture<>();
        CompletableFuture<T> running = loads.putIfAbsent(key, promise);
        if (running != null) {
            return running;
        }
        loader.apply(key).whenComplete((value, error) -> {
            if (error == null) {
                values.put(key, value);
            }
            loads.remove(key, promise);
            if (error == null) {
                promise.complete(value);
            } else {
                promise.completeExceptionally(error);
            }
        });
        return promise;
    }

    void invalidate(String key) {
        values.invalidate(key);
    }

    void invalidateAll() {
        values.invalidateAll();
    }
}
