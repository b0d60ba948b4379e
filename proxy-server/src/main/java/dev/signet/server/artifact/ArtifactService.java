package dev.signet.server.artifact;

import dev.signet.events.SignetListener;
import dev.signet.fill.StoredArtifactVerifier;
import dev.signet.sig.Keyring;
import dev.signet.sig.VerificationException;
import dev.signet.server.index.IndexService;
import dev.signet.server.upstream.UpstreamClient;
import dev.signet.server.upstream.UpstreamException;
import dev.signet.store.ArtifactKey;
import dev.signet.store.ArtifactStore;
import dev.signet.store.FileIdentity;
import dev.signet.store.StoredArtifact;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers "give me this artifact, verified" for the serve path. A cached file is served only while its identity
 * matches what this process verified; otherwise it is re-verified from disk first (always the case for the first
 * serve after a restart). A miss starts one {@link ArtifactFill} per artifact, however many requests ask.
 * All disk work runs on {@code workers}; nothing here blocks an event loop.
 */
public final class ArtifactService {

    private static final Logger log = LoggerFactory.getLogger(ArtifactService.class);

    /** What a fill needs; grouped so a fill is cheap to create. */
    record Dependencies(IndexService index, UpstreamClient client, Keyring keyring, ArtifactStore store,
                        SignatureLocation signatures, Executor workers, InstantSource clock) {}

    private final Dependencies deps;
    private final StoredArtifactVerifier reverifier;
    private final SignetListener listener;
    /** Identity of each file as this process last verified it; absent = must re-verify before serving. */
    private final ConcurrentHashMap<ArtifactKey, FileIdentity> verified = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ArtifactKey, CompletableFuture<StoredArtifact>> fills = new ConcurrentHashMap<>();

    public ArtifactService(IndexService index, UpstreamClient client, Keyring keyring, ArtifactStore store,
                           SignatureLocation signatures, Executor workers, InstantSource clock, SignetListener listener) {
        this.deps = new Dependencies(index, client, keyring, store, signatures, workers, clock);
        this.reverifier = new StoredArtifactVerifier(keyring);
        this.listener = listener;
    }

    /**
     * Opens a verified artifact. Fails with {@link VerificationException} (refuse, 403), {@link ArtifactNotListedException}
     * or {@code ProjectNotFoundException} (404), or {@link UpstreamException} (502/504).
     */
    public CompletableFuture<ServableArtifact> open(ArtifactKey key, EventLoop loop) {
        return CompletableFuture.supplyAsync(() -> openCached(key), deps.workers())
                .thenCompose(cached -> {
                    if (cached.isPresent()) {
                        listener.cacheHit(cached.get().length());
                        return CompletableFuture.completedFuture(cached.get());
                    }
                    return fillThenOpen(key, loop);
                });
    }

    /**
     * Blocking (run it on a worker): deletes one cached artifact. A fill in progress is not interrupted and commits
     * when it is done. Returns whether there was an entry.
     */
    public boolean purge(ArtifactKey key) throws IOException {
        Optional<StoredArtifact> entry = deps.store().lookup(key);
        verified.remove(key);
        if (entry.isEmpty()) {
            return false;
        }
        deps.store().remove(key);
        listener.cacheEntryRemoved(entry.get().record().length());
        return true;
    }

    /** Blocking (run it on a worker): deletes every cached artifact; returns how many. */
    public long purgeAll() throws IOException {
        java.util.List<ArtifactKey> keys = new java.util.ArrayList<>();
        deps.store().scan(entry -> keys.add(entry.key()));
        long removed = 0;
        for (ArtifactKey key : keys) {
            if (purge(key)) {
                removed++;
            }
        }
        return removed;
    }

    /** Number of fills in progress (for tests and metrics). */
    public int fillsInProgress() {
        return fills.size();
    }

    private Optional<ServableArtifact> openCached(ArtifactKey key) {
        try {
            Optional<StoredArtifact> found = deps.store().lookup(key);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            StoredArtifact entry = found.get();
            FileChannel channel;
            try {
                channel = FileChannel.open(entry.path(), StandardOpenOption.READ);
            } catch (NoSuchFileException gone) {
                verified.remove(key);
                return Optional.empty();
            }
            boolean sameFile = entry.identityMatchesDisk();
            if (sameFile && entry.identity().equals(verified.get(key))) {
                return Optional.of(new ServableArtifact(entry, channel, CacheOutcome.HIT));
            }
            return reverify(entry, channel, sameFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * First serve in this process, or the file changed on disk: check it again, reading through the channel that will
     * be served, so what is sent is what was checked.
     */
    private Optional<ServableArtifact> reverify(StoredArtifact entry, FileChannel channel, boolean sameFile) throws IOException {
        ArtifactKey key = entry.key();
        try {
            // The identity taken before reading is the one recorded: a swap during verification is not recorded.
            FileIdentity before = FileIdentity.of(entry.path());
            reverifier.verify(entry, channel);
            StoredArtifact current = sameFile ? entry : deps.store().refreshIdentity(entry, before);
            verified.put(key, current.identity());
            listener.reverified(true);
            return Optional.of(new ServableArtifact(current, channel, CacheOutcome.REVERIFIED));
        } catch (VerificationException e) {
            channel.close();
            verified.remove(key);
            listener.reverified(false);
            log.warn("cached copy failed re-verification, removing it and fetching again: {}", e.getMessage());
            deps.store().remove(key);
            listener.cacheEntryRemoved(entry.record().length());
            return Optional.empty();
        }
    }

    private CompletableFuture<ServableArtifact> fillThenOpen(ArtifactKey key, EventLoop loop) {
        listener.cacheMiss();
        CompletableFuture<StoredArtifact> promise = new CompletableFuture<>();
        CompletableFuture<StoredArtifact> existing = fills.putIfAbsent(key, promise);
        CacheOutcome outcome;
        if (existing != null) {
            listener.fillCoalesced();
            promise = existing;
            outcome = CacheOutcome.COALESCED;
        } else {
            outcome = CacheOutcome.MISS;
            startFill(key, loop, promise);
        }
        return promise.thenApplyAsync(entry -> openFilled(entry, outcome), deps.workers());
    }

    private void startFill(ArtifactKey key, EventLoop loop, CompletableFuture<StoredArtifact> promise) {
        new ArtifactFill(key, loop, deps).run().whenComplete((entry, error) -> {
            // Remove before completing, so a request arriving after a failure starts a fresh fill.
            fills.remove(key, promise);
            if (error == null) {
                verified.put(key, entry.identity());
                listener.fillCommitted(entry.record().length());
                promise.complete(entry);
                return;
            }
            Throwable cause = Async.unwrap(error);
            if (cause instanceof VerificationException refused) {
                listener.verificationFailed(refused.failure());
                log.warn("{}", refused.getMessage());
            } else if (cause instanceof UpstreamException upstream) {
                listener.upstreamFailed(upstream.kind().tag());
                log.warn("fill of {} failed: {}", key.filename(), upstream.getMessage());
            }
            promise.completeExceptionally(cause);
        });
    }

    /** Opens what a fill committed through the same identity check as any cached file. */
    private ServableArtifact openFilled(StoredArtifact entry, CacheOutcome outcome) {
        return openCached(entry.key())
                .map(servable -> servable.withOutcome(outcome))
                .orElseThrow(() -> new UncheckedIOException(new IOException(
                        entry.key().filename() + " vanished from the cache right after its fill")));
    }
}
