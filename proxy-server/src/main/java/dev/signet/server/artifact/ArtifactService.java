package dev.signet.server.artifact;

import dev.signet.server.concurrent.Futures;
import dev.signet.events.SignetListener;
import dev.signet.fill.StoredArtifactVerifier;
import dev.signet.sig.Keyring;
import dev.signet.sig.VerificationException;
import dev.signet.sig.VerificationFailure;
import dev.signet.server.index.IndexService;
import dev.signet.server.upstream.UpstreamClient;
import dev.signet.server.upstream.UpstreamException;
import dev.signet.store.ArtifactKey;
import dev.signet.store.ArtifactStore;
import dev.signet.store.FileIdentity;
import dev.signet.store.StoreBudget;
import dev.signet.store.StoredArtifact;
import io.netty.buffer.ByteBuf;
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
import java.util.function.Function;
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
    record Dependencies(IndexService index, UpstreamClient client, ArtifactStore store,
                        SignatureLocation signatures, Executor workers, InstantSource clock, SharedTier shared) {}

    private final Dependencies deps;
    /** The shared tier as fills use it (also offline), and where each committed fill came from. */
    private final TierFills tier;
    /** Project name to the keys its cached files are re-verified with (see {@code Upstreams.reverificationKeys}). */
    private final Function<String, Keyring> reverificationKeys;
    private final SignetListener listener;
    private final StoreBudget budget;
    /**
     * How a cached file is checked before it is handed out, per {@code verify-on-serve} (see docs/cache-integrity.md for
     * what each guarantees against a process that can write the cache).
     */
    private enum Check {
        /** identity: the file itself is served (sendfile) while its identity is the one this process verified. */
        IDENTITY,
        /**
         * paranoid: the file is re-verified while being copied into a private file (see {@link ArtifactStore#privateFile}),
         * and the copy is served. Sending the cached file itself after checking it would let a write to it during the
         * transfer reach the client (sendfile reads the live file); hashing while sending would send bytes before they
         * are verified (invariant 1); holding the file in memory is unbounded (invariant 6). The copy costs one write of
         * the file per request, and disk space for it while the transfer lasts.
         */
        PRIVATE_COPY,
        /** The scrub: re-verify the file; nothing is sent. */
        REVERIFY;

        boolean always() {
            return this != IDENTITY;
        }
    }

    /** The check of every serve: {@code PRIVATE_COPY} in paranoid mode, {@code IDENTITY} otherwise. */
    private final Check serveCheck;
    /**
     * Each entry as this process last verified it (record and file identity); absent = must re-verify before serving.
     * A hit is served from this map plus one stat of the file, without reading the sidecar again.
     */
    private final ConcurrentHashMap<ArtifactKey, StoredArtifact> verified = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ArtifactKey, InFlight> fills = new ConcurrentHashMap<>();
    /** Verified copies of small popular artifacts; never consulted in paranoid mode, which must re-read the disk. */
    private final MemoryTier memory;
    /** The page statement (upstream, sha256) each trusted entry was verified against, checked before every serve. */
    private final PageListings listings;
    /** What each fill in progress has received and who waits for it (GET /fills, the progress log, fill metrics). */
    private final FillRegistry fillRegistry;

    public ArtifactService(IndexService index, UpstreamClient client, Function<String, Keyring> reverificationKeys,
                           ArtifactStore store, StoreBudget budget, MemoryTier memory, boolean paranoid,
                           SignatureLocation signatures, Executor workers, InstantSource clock, SignetListener listener) {
        this(index, client, reverificationKeys, store, budget, memory, paranoid, signatures, workers, clock, listener,
                SharedTier.NONE);
    }

    /** As above, with a shared tier that fills ask before the upstream (the fleet's shared store). */
    public ArtifactService(IndexService index, UpstreamClient client, Function<String, Keyring> reverificationKeys,
                           ArtifactStore store, StoreBudget budget, MemoryTier memory, boolean paranoid,
                           SignatureLocation signatures, Executor workers, InstantSource clock, SignetListener listener,
                           SharedTier shared) {
        this.tier = new TierFills(shared, index.offline());
        this.deps = new Dependencies(index, client, store, signatures, workers, clock, tier);
        this.reverificationKeys = reverificationKeys;
        this.listener = listener;
        this.budget = budget;
        this.memory = paranoid ? MemoryTier.disabled() : memory;
        this.serveCheck = paranoid ? Check.PRIVATE_COPY : Check.IDENTITY;
        this.listings = new PageListings(index);
        this.fillRegistry = new FillRegistry(listener, System::nanoTime);
        budget.onDelete(this::forget);
    }

    /**
     * Opens a verified artifact. Fails with {@link VerificationException} (refuse, 403), {@link ArtifactNotListedException}
     * or {@code ProjectNotFoundException} (404), or {@link UpstreamException} (502/504).
     */
    public CompletableFuture<ServableArtifact> open(ArtifactKey key, EventLoop loop) {
        ServableArtifact inMemory = openInMemory(key);
        if (inMemory != null) {
            listener.cacheHit(inMemory.length());
            return CompletableFuture.completedFuture(inMemory);
        }
        return CompletableFuture.supplyAsync(() -> openCached(key, serveCheck), deps.workers())
                .thenCompose(cached -> {
                    if (cached.isPresent()) {
                        listener.cacheHit(cached.get().length());
                        return CompletableFuture.completedFuture(cached.get());
                    }
                    return fillThenOpen(key, loop, FILL_ATTEMPTS);
                });
    }

    /** Non-blocking: the memory tier's verified copy of the entry this process trusts for {@code key}, if it has one. */
    private ServableArtifact openInMemory(ArtifactKey key) {
        StoredArtifact known = verified.get(key);
        if (known == null || listings.changed(known) != null) {
            // Unknown here, or the page now says something else about it: the worker path checks it again.
            return null;
        }
        ByteBuf bytes = memory.retain(known);
        if (bytes == null) {
            return null;
        }
        // A popular artifact must stay popular for the disk budget too, or eviction would drop it (and its copy here).
        budget.recordUse(key);
        return ServableArtifact.inMemory(known, bytes);
    }

    /** This process no longer vouches for its copy of {@code key}: on disk or in memory. */
    private void forget(ArtifactKey key) {
        verified.remove(key);
        listings.forget(key);
        memory.invalidate(key);
    }

    /**
     * Replaces the entry this process vouches for, verified against {@code listing} (null when no page was known); a
     * memory copy of the previous one is dropped.
     */
    private void trust(StoredArtifact entry, Listing listing) {
        listings.vouch(entry.key(), listing);
        StoredArtifact previous = verified.put(entry.key(), entry);
        if (previous != null && previous != entry) {
            memory.invalidate(entry.key());
        }
    }

    /**
     * Blocking (run it on a worker): deletes one artifact, from this cache and from the shared tier (the admin API's
     * purge: a file purged on one edge must not come back from the fleet's store). A fill in progress is not
     * interrupted and commits when it is done. Returns whether there was a local entry.
     */
    public boolean purge(ArtifactKey key) throws IOException {
        deps.shared().purge(key);
        return purgeLocal(key);
    }

    private boolean purgeLocal(ArtifactKey key) throws IOException {
        Optional<StoredArtifact> entry = deps.store().lookup(key);
        forget(key);
        if (entry.isEmpty()) {
            return false;
        }
        deps.store().remove(key);
        budget.forget(key);
        return true;
    }

    /**
     * Blocking (run it on a worker): deletes every cached artifact of this edge; returns how many. The shared tier is
     * left alone: emptying one edge's disk must not empty the fleet's store (its lifecycle rule bounds it).
     */
    public long purgeAll() throws IOException {
        java.util.List<ArtifactKey> keys = new java.util.ArrayList<>();
        deps.store().scan(entry -> keys.add(entry.key()));
        long removed = 0;
        for (ArtifactKey key : keys) {
            if (purgeLocal(key)) {
                removed++;
            }
        }
        return removed;
    }

    public FillRegistry fillRegistry() {
        return fillRegistry;
    }

    /** Number of fills in progress (for tests and metrics). */
    public int fillsInProgress() {
        return fills.size();
    }

    /**
     * Re-verifies a cached artifact now (the background scrub). Blocking. Returns false when the entry is gone or failed
     * verification (and was removed: its next request fetches it again).
     */
    public boolean recheck(ArtifactKey key) {
        try {
            Optional<ServableArtifact> checked = openCached(key, Check.REVERIFY);
            checked.ifPresent(ServableArtifact::close);
            return checked.isPresent();
        } catch (CacheReadException unreadable) {
            // Logged and counted; the scrub goes on with the other entries.
            return false;
        }
    }

    private Optional<ServableArtifact> openCached(ArtifactKey key, Check check) {
        // Pin first: an eviction decided from here on waits for this serve instead of deleting the file under it.
        StoreBudget.Lease lease = budget.open(key);
        Optional<ServableArtifact> servable = Optional.empty();
        try {
            servable = openPinned(key, check, lease);
            if (servable.isPresent() && check == Check.IDENTITY) {
                keepInMemory(servable.get());
            }
            return servable;
        } catch (NoSuchFileException gone) {
            // Removed (evicted, purged) between the lookup and the checks: a miss.
            forget(key);
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (servable.isEmpty()) {
                lease.close();
            }
        }
    }

    private Optional<ServableArtifact> openPinned(ArtifactKey key, Check check, StoreBudget.Lease lease)
            throws IOException {
        StoredArtifact known = verified.get(key);
        // What the page says now, when it differs from what the trusted entry was verified against (usually null).
        Listing relisted = known == null ? null : listings.changed(known);
        if (known != null && !check.always() && relisted == null) {
            FileChannel channel = openForReading(known);
            if (known.identityMatchesDisk()) {
                return Optional.of(ServableArtifact.onDisk(known, channel, lease, CacheOutcome.HIT));
            }
            // Changed on disk (or replaced): fall through to the full lookup and re-verification.
            channel.close();
            if (verified.remove(key, known)) {
                memory.invalidate(key);
            }
        }
        Optional<StoredArtifact> found = deps.store().lookup(key);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StoredArtifact entry = found.get();
        FileChannel channel = openForReading(entry);
        try {
            boolean sameFile = entry.identityMatchesDisk();
            StoredArtifact last = verified.get(key);
            if (!check.always() && relisted == null && sameFile && last != null && entry.identity().equals(last.identity())
                    && entry.record().equals(last.record())) {
                // The instance this process trusts, so that a memory copy made from this serve matches it.
                return Optional.of(ServableArtifact.onDisk(last, channel, lease, CacheOutcome.HIT));
            }
            Optional<ServableArtifact> checked = reverify(entry, channel, sameFile, lease, check);
            if (checked.isEmpty()) {
                channel.close();
            }
            return checked;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * First serve in this process, the file changed on disk, paranoid mode or the scrub: check it again, reading through
     * the channel that will be served (identity mode), or copying what is read into a private file that is served
     * instead (paranoid mode), so what is sent is what was checked.
     */
    private Optional<ServableArtifact> reverify(StoredArtifact entry, FileChannel channel, boolean sameFile,
                                                StoreBudget.Lease lease, Check check) throws IOException {
        ArtifactKey key = entry.key();
        // Verified against what the page held now says (its upstream's keys, its sha256); without a page, with the
        // project's re-verification keys, and the page is compared once there is one.
        Listing listing = listings.current(key);
        try {
            if (listing != null && !PageListings.agrees(listing, entry)) {
                throw new VerificationException(VerificationFailure.HASH_MISMATCH, key.filename(),
                        "the page now lists sha256 " + listing.sha256() + " (from " + listing.origin().name()
                                + "), not the cached file's");
            }
            // The identity taken before reading is the one recorded: a swap during verification is not recorded.
            FileIdentity before = FileIdentity.of(entry.path());
            StoredArtifactVerifier verifier = new StoredArtifactVerifier(
                    listing != null ? listing.origin().keyring() : reverificationKeys.apply(key.project()));
            FileChannel served = check == Check.PRIVATE_COPY ? verifiedCopy(entry, channel, verifier)
                    : verifiedInPlace(entry, channel, verifier);
            StoredArtifact current;
            try {
                current = sameFile ? entry : deps.store().refreshIdentity(entry, before);
            } catch (IOException | RuntimeException e) {
                if (served != channel) {
                    served.close();
                }
                throw e;
            }
            trust(current, listing);
            listener.reverified(true);
            if (served != channel) {
                // The private copy is what goes out; the cached file is not needed for this serve any more.
                channel.close();
            }
            return Optional.of(ServableArtifact.onDisk(current, served, lease, CacheOutcome.REVERIFIED));
        } catch (VerificationException e) {
            forget(key);
            listener.reverified(false);
            log.warn("cached copy failed re-verification, removing it and fetching again: {}", e.getMessage());
            deps.store().remove(key);
            budget.forget(key);
            return Optional.empty();
        }
    }

    private FileChannel verifiedInPlace(StoredArtifact entry, FileChannel channel, StoredArtifactVerifier verifier)
            throws IOException, VerificationException {
        try {
            verifier.verify(entry, channel);
            return channel;
        } catch (IOException e) {
            throw unreadable(entry.key(), e);
        }
    }

    /** Paranoid mode: one pass that reads, hashes and copies; the copy holds exactly the verified bytes. */
    private FileChannel verifiedCopy(StoredArtifact entry, FileChannel channel, StoredArtifactVerifier verifier)
            throws IOException, VerificationException {
        FileChannel copy = deps.store().privateFile();
        try {
            verifier.verifyInto(entry, channel, copy);
            return copy;
        } catch (IOException e) {
            copy.close();
            throw unreadable(entry.key(), e);
        } catch (VerificationException | RuntimeException e) {
            copy.close();
            throw e;
        }
    }

    /** Opens a cached file for a serve or a check; a file that exists but cannot be opened is a read failure. */
    private FileChannel openForReading(StoredArtifact entry) throws IOException {
        try {
            return FileChannel.open(entry.path(), StandardOpenOption.READ);
        } catch (NoSuchFileException gone) {
            throw gone;
        } catch (IOException e) {
            throw unreadable(entry.key(), e);
        }
    }

    /**
     * A cached file that cannot be read (permissions, a disk error): the request fails with a reason before any byte of
     * it is sent, the fault is logged and counted, and this process stops vouching for the entry, so that once it is
     * readable again it is re-verified before it is served. It is not deleted: a disk fault is the operator's to see.
     */
    private CacheReadException unreadable(ArtifactKey key, IOException e) {
        forget(key);
        CacheReadException failure = CacheReadException.of(key.filename(), e);
        listener.cacheReadFailed(failure.reason());
        log.warn("cannot read the cached copy of {} ({}); answered with an error, nothing sent: {}", key.filename(),
                failure.reason(), e.toString());
        return failure;
    }

    /**
     * Offers a file being served from disk to the memory tier, read through the channel that is being served. The first
     * disk serves of a small artifact pay one read and one SHA-256 of it; later ones are answered from memory.
     */
    private void keepInMemory(ServableArtifact servable) {
        keepInMemory(servable.entry(), servable.channel());
    }

    /** {@code channel} holds the verified bytes of {@code entry}: the store's file, or the fill's temp file. */
    private void keepInMemory(StoredArtifact entry, FileChannel channel) {
        if (!memory.accepts(entry.record().length())) {
            return;
        }
        try {
            memory.admit(entry, channel);
        } catch (IOException e) {
            log.debug("could not keep {} in memory: {}", entry.key().filename(), e.toString());
        }
    }

    /**
     * A purge can remove what a fill has just committed before the requests waiting for it open it (they would have
     * nothing to serve); they fetch it again, this many times in all.
     */
    private static final int FILL_ATTEMPTS = 3;

    private CompletableFuture<ServableArtifact> fillThenOpen(ArtifactKey key, EventLoop loop, int attemptsLeft) {
        listener.cacheMiss();
        if (!tier.mayFill()) {
            // Offline never contacts an upstream: not for the signature, not for the file (no fill is started). With a
            // shared store the fill asks the store only (TierFills).
            log.info("{} is not cached; not fetched because Signet runs offline", key.filename());
            return CompletableFuture.failedFuture(new NotCachedOfflineException(key.filename()));
        }
        InFlight mine = new InFlight(new CompletableFuture<>(), new CompletableFuture<>());
        InFlight existing = fills.putIfAbsent(key, mine);
        InFlight fill;
        CacheOutcome outcome;
        if (existing != null) {
            listener.fillCoalesced();
            fill = existing;
            outcome = CacheOutcome.COALESCED;
        } else {
            fill = mine;
            outcome = CacheOutcome.MISS;
            startFill(key, loop, mine);
        }
        return fill.verified().thenComposeAsync(early -> {
            Optional<ServableArtifact> answered = early == null ? Optional.empty() : early.open(outcome);
            if (answered.isPresent()) {
                return CompletableFuture.completedFuture(answered.get());
            }
            return fill.committed().thenComposeAsync(entry -> openCommitted(key, loop, entry, outcome, attemptsLeft),
                    deps.workers());
        }, deps.workers());
    }

    /** Too late for the fill's temp file (its commit has ended) or paranoid mode: served from the store. */
    private CompletableFuture<ServableArtifact> openCommitted(ArtifactKey key, EventLoop loop, StoredArtifact entry,
                                                              CacheOutcome outcome, int attemptsLeft) {
        Optional<ServableArtifact> opened = openFilled(entry, outcome);
        if (opened.isPresent()) {
            return CompletableFuture.completedFuture(opened.get());
        }
        if (attemptsLeft > 1) {
            log.debug("{} was removed right after its fill (purged); fetching it again", key.filename());
            return fillThenOpen(key, loop, attemptsLeft - 1);
        }
        return CompletableFuture.failedFuture(new ArtifactGoneException(key.filename()
                + " was removed from the cache right after each of " + FILL_ATTEMPTS + " fetches (purged); try again"));
    }

    private void startFill(ArtifactKey key, EventLoop loop, InFlight inFlight) {
        FillProgress progress = fillRegistry.started(key);
        // Paranoid mode serves every client a private verified copy of the store's file, the fill's waiters too.
        CompletableFuture<EarlyAnswer> early = serveCheck == Check.IDENTITY ? inFlight.verified() : null;
        ArtifactFill fill = new ArtifactFill(key, loop, deps, progress, early);
        fill.run().whenComplete((entry, error) -> {
            if (error == null) {
                // Trusted before the fill is removed, so a request arriving in between is a hit, not a re-verification.
                trust(entry, fill.listing());
                fills.remove(key, inFlight);
                fillRegistry.finished(progress, "committed");
                listener.fillCommitted(tier.sourceOf(entry), entry.record().length());
                EarlyAnswer answered = inFlight.answered();
                if (answered != null) {
                    // What the fill's own serve from the store did before: a small artifact joins the memory tier,
                    // read from the verified channel (its SHA-256 checked again, as for any copy).
                    keepInMemory(entry, answered.channel());
                    // Its clients hold the verified file open, so the budget may evict the entry at once if it must.
                    budget.admit(entry);
                }
                // No client joins the temp file from here on: later ones are served from the store.
                inFlight.retire();
                inFlight.committed().complete(entry);
                CompletableFuture.runAsync(budget::enforceFreeSpace, deps.workers());
                return;
            }
            // Removed before completing, so a request arriving after a failure starts a fresh fill.
            fills.remove(key, inFlight);
            Throwable cause = Futures.unwrap(error);
            fillRegistry.finished(progress, cause instanceof VerificationException ? "refused" : "failed");
            if (cause instanceof VerificationException refused) {
                listener.verificationFailed(refused.failure());
                listener.refused(key.project(), key.filename(), refused.failure().tag(), refused.getMessage());
                log.warn("{}", refused.getMessage());
            } else if (cause instanceof UpstreamException upstream) {
                listener.upstreamFailed(upstream.kind().tag());
                log.warn("fill of {} failed: {}", key.filename(), upstream.getMessage());
            }
            // A failure before the verdict fails every waiter; after it (the commit failed), those given the temp file
            // keep their verified bytes and the rest fail.
            inFlight.verified().completeExceptionally(cause);
            if (cause instanceof CacheWriteException unstored) {
                listener.cacheWriteFailed();
                if (inFlight.answered() != null) {
                    log.warn("cannot store {} in the cache ({}); the clients waiting for it were sent the verified bytes,"
                            + " nothing was cached", key.filename(), unstored.reason(), unstored.getCause());
                } else {
                    log.warn("fill failed: {}", unstored.getMessage(), unstored.getCause());
                }
            }
            inFlight.retire();
            inFlight.committed().completeExceptionally(cause);
        });
    }

    /**
     * One fill as its waiters see it: {@code verified} completes when the body has passed every check (with the temp
     * file to answer from, or null in paranoid mode, or exceptionally when the fill failed first); {@code committed}
     * when the commit has ended.
     */
    private record InFlight(CompletableFuture<EarlyAnswer> verified, CompletableFuture<StoredArtifact> committed) {
        /** The temp file's answer, if the fill got that far and clients may be given it; otherwise null. */
        EarlyAnswer answered() {
            return verified.isDone() && !verified.isCompletedExceptionally() ? verified.getNow(null) : null;
        }

        /** The commit has ended: no client is given the temp file from here on (and no fill is still to give it). */
        void retire() {
            verified.complete(null);
            EarlyAnswer answered = answered();
            if (answered != null) {
                answered.retire();
            }
        }
    }

    /**
     * Opens what a fill committed through the same identity check as any cached file. The entry joins the budget only
     * now, with this serve's lease already held: the admission policy may turn a new, unpopular artifact away at once,
     * and it must not be deleted before the requests that waited for it are answered.
     */
    private Optional<ServableArtifact> openFilled(StoredArtifact entry, CacheOutcome outcome) {
        // Paranoid mode serves a fill's waiters a private verified copy too: the committed file is as writable as any.
        return openCached(entry.key(), serveCheck)
                .map(servable -> {
                    budget.admit(servable.entry());
                    return servable.withOutcome(outcome);
                });
    }
}
