package dev.signet.server.shared;

import dev.signet.events.SignetListener;
import dev.signet.server.artifact.SharedTier;
import dev.signet.server.config.SharedStoreConfig;
import dev.signet.server.config.Units;
import dev.signet.store.ArtifactKey;
import dev.signet.store.StoredArtifact;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The fleet's shared store on S3 (docs/fleet.md), as the {@link SharedTier} of this edge. Every call runs on threads of
 * its own, bounded in number and queue (reads and uploads apart, so uploads never hold up a fill): when they are all
 * busy the store is skipped, never waited for. A fault (timeout, refused connection, 5xx, throttling) is logged at
 * WARN, counted, and makes the store skipped for the backoff; the fill goes to the upstream. An object that fails a
 * check is counted, logged, deleted, and the artifact fetched from the upstream, whose verified file is then uploaded
 * in its place.
 */
public final class S3SharedStore implements SharedTier {

    private static final Logger log = LoggerFactory.getLogger(S3SharedStore.class);
    /** Fills waiting for a store thread; past that they skip the store. */
    private static final int READ_QUEUE = 32;
    /** Uploads waiting for a thread; past that an upload is skipped (the next edge to fill it uploads it). */
    private static final int UPLOAD_QUEUE = 256;

    private final SharedStoreConfig config;
    private final S3Client s3;
    private final ObjectKeys keys;
    private final StoreReader reader;
    private final StoreUploader uploader;
    private final StoreBackoff backoff;
    private final SignetListener listener;
    private final LongSupplier nanoClock;
    private final ThreadPoolExecutor reads;
    private final ThreadPoolExecutor uploads;

    S3SharedStore(SharedStoreConfig config, S3Client s3, SignetListener listener, LongSupplier nanoClock) {
        this.config = config;
        this.s3 = s3;
        this.keys = new ObjectKeys(config.prefix());
        this.reader = new StoreReader(s3, config.bucket(), keys, config.timeout());
        this.uploader = new StoreUploader(s3, config.bucket(), keys, config.partSize(), config.timeout());
        this.backoff = new StoreBackoff(config.backoff(), nanoClock);
        this.listener = listener;
        this.nanoClock = nanoClock;
        this.reads = pool(config.threads(), READ_QUEUE, "signet-store-read");
        this.uploads = pool(Math.max(1, config.threads() / 2), UPLOAD_QUEUE, "signet-store-upload");
    }

    /** The store of {@code config}, or {@link SharedTier#NONE} when none is configured. */
    public static SharedTier open(SharedStoreConfig config, SignetListener listener) {
        if (!config.enabled()) {
            return SharedTier.NONE;
        }
        log.info("shared store {}{} (timeout {}, backoff {}, parts of {}); every object read from it is verified",
                config.url(), config.endpoint() == null ? "" : " at " + config.endpoint(),
                Units.formatDuration(config.timeout()), Units.formatDuration(config.backoff()),
                Units.formatSize(config.partSize()));
        S3SharedStore store = new S3SharedStore(config, S3Clients.build(config), listener, System::nanoTime);
        store.warmUp();
        return store;
    }

    /**
     * In the background, on a read thread, while the edge starts: the SDK's once-per-JVM setup and the first connection
     * (seconds in a new JVM), which the first fill from the store would otherwise wait for.
     */
    private void warmUp() {
        reads.execute(() -> {
            long began = nanoClock.getAsLong();
            S3Clients.warmUp(s3, config);
            log.debug("shared store client ready after {} ms", (nanoClock.getAsLong() - began) / 1_000_000);
        });
    }

    @Override
    public CompletableFuture<StoredArtifact> fill(ArtifactKey key, FillStart start) {
        long began = nanoClock.getAsLong();
        if (!backoff.allows()) {
            listener.sharedStoreRead("skipped", 0, 0);
            return CompletableFuture.completedFuture(null);
        }
        try {
            return CompletableFuture.supplyAsync(() -> read(key, start, began), reads);
        } catch (RejectedExecutionException busy) {
            log.debug("shared store busy; {} is fetched from the upstream", key.filename());
            listener.sharedStoreRead("skipped", 0, 0);
            return CompletableFuture.completedFuture(null);
        }
    }

    private StoredArtifact read(ArtifactKey key, FillStart start, long began) {
        StoreReader.Result result;
        try {
            result = reader.read(key, start);
        } catch (RuntimeException e) {
            result = new StoreReader.Result.Fault(new StoreFault("unexpected: " + e, e));
        }
        long took = nanoClock.getAsLong() - began;
        if (result instanceof StoreReader.Result.Hit hit) {
            backoff.succeeded();
            listener.sharedStoreRead("hit", hit.entry().record().length(), took);
            log.debug("{} filled from the shared store and verified", key.filename());
            return hit.entry();
        }
        if (result instanceof StoreReader.Result.Miss) {
            backoff.succeeded();
            listener.sharedStoreRead("miss", 0, took);
        } else if (result instanceof StoreReader.Result.Refused refused) {
            backoff.succeeded();
            listener.sharedStoreRead("refused", 0, took);
            listener.sharedStoreRefused(refused.reason().failure());
            log.warn("shared store object {} refused, deleting it and fetching from the upstream: {}", keys.of(key),
                    refused.reason().getMessage());
            delete(key);
        } else if (result instanceof StoreReader.Result.Fault fault) {
            fault("get", key, fault.fault());
            listener.sharedStoreRead("error", 0, took);
        } else if (result instanceof StoreReader.Result.LocalFailure local) {
            listener.sharedStoreRead("error", 0, took);
            log.warn("could not write {} read from the shared store to the cache: {}", key.filename(), local.error().toString());
        }
        return null;
    }

    @Override
    public void offer(StoredArtifact committed) {
        if (!backoff.allows()) {
            listener.sharedStoreWrite("skipped", 0, 0);
            return;
        }
        try {
            uploads.execute(() -> upload(committed));
        } catch (RejectedExecutionException busy) {
            listener.sharedStoreWrite("skipped", 0, 0);
            log.debug("shared store upload queue full; {} not uploaded", committed.key().filename());
        }
    }

    private void upload(StoredArtifact entry) {
        long began = nanoClock.getAsLong();
        try {
            StoreUploader.Outcome outcome = uploader.upload(entry);
            backoff.succeeded();
            long bytes = outcome == StoreUploader.Outcome.UPLOADED ? entry.record().length() : 0;
            listener.sharedStoreWrite(outcome.tag(), bytes, nanoClock.getAsLong() - began);
            log.debug("shared store upload of {}: {}", entry.key().filename(), outcome.tag());
        } catch (StoreFault e) {
            fault("put", entry.key(), e);
            listener.sharedStoreWrite("error", 0, nanoClock.getAsLong() - began);
        } catch (RuntimeException e) {
            fault("put", entry.key(), new StoreFault("unexpected: " + e, e));
            listener.sharedStoreWrite("error", 0, nanoClock.getAsLong() - began);
        }
    }

    @Override
    public void purge(ArtifactKey key) {
        delete(key);
    }

    /** The object, then its signature sidecar if it has one (deleting a sidecar that does not exist is a no-op). */
    private void delete(ArtifactKey key) {
        try {
            for (String name : new String[] {keys.of(key), keys.signatureOf(key)}) {
                s3.deleteObject(b -> b.bucket(config.bucket()).key(name)
                        .overrideConfiguration(o -> o.apiCallTimeout(config.timeout())));
            }
        } catch (SdkException e) {
            fault("delete", key, new StoreFault("DELETE failed: " + e.getMessage(), e));
        }
    }

    private void fault(String operation, ArtifactKey key, StoreFault fault) {
        listener.sharedStoreError(operation);
        Duration skipped = backoff.failed();
        log.warn("shared store {} of {} failed ({}); the upstream serves instead, store skipped for {}", operation,
                key.filename(), fault.getMessage(), Units.formatDuration(skipped));
    }

    @Override
    public void close() {
        reads.shutdownNow();
        uploads.shutdownNow();
        try {
            uploads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        s3.close();
    }

    private static ThreadPoolExecutor pool(int threads, int queue, String name) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), new DefaultThreadFactory(name, true));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
