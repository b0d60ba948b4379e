package dev.signet.server.artifact;

import dev.signet.store.ArtifactKey;
import dev.signet.store.StoredArtifact;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared tier as {@link ArtifactService}'s fills see it: it remembers which fills the tier answered, so a committed
 * fill is counted by where its bytes came from ({@link #sourceOf}); and offline ({@code offline: true}) it is the last
 * place a fill looks: the store is a cache tier of the fleet, not the upstream, so an edge offline still fills from it,
 * verifying as always, but where the tier has nothing verified to give the fill ends with
 * {@link NotCachedOfflineException} instead of going on to the upstream. That is the one way this wrapper completes
 * exceptionally, which {@link ArtifactFill} passes on as the fill's failure without contacting the upstream.
 */
final class TierFills implements SharedTier {

    static final String FROM_UPSTREAM = "upstream";
    static final String FROM_STORE = "store";

    private static final Logger log = LoggerFactory.getLogger(TierFills.class);

    private final SharedTier tier;
    private final boolean offline;
    /** Entries the tier committed, until their fill is counted; one at most per key (fills are single-flight). */
    private final ConcurrentHashMap<ArtifactKey, StoredArtifact> fromTier = new ConcurrentHashMap<>();

    TierFills(SharedTier tier, boolean offline) {
        this.tier = tier;
        this.offline = offline;
    }

    /** Whether a local miss may start a fill: online always; offline only when there is a shared tier to ask. */
    boolean mayFill() {
        return !offline || tier != SharedTier.NONE;
    }

    @Override
    public CompletableFuture<StoredArtifact> fill(ArtifactKey key, FillStart start) {
        return tier.fill(key, start).thenApply(entry -> {
            if (entry != null) {
                fromTier.put(key, entry);
            } else if (offline) {
                log.info("{} is neither cached nor in the shared store; not fetched because Signet runs offline",
                        key.filename());
                throw new CompletionException(new NotCachedOfflineException(key.filename()));
            }
            return entry;
        });
    }

    /** Where the committed {@code entry}'s bytes came from, {@link #FROM_STORE} or {@link #FROM_UPSTREAM}; asked once. */
    String sourceOf(StoredArtifact entry) {
        return fromTier.remove(entry.key(), entry) ? FROM_STORE : FROM_UPSTREAM;
    }

    @Override
    public void offer(StoredArtifact committed) {
        tier.offer(committed);
    }

    @Override
    public void purge(ArtifactKey key) {
        tier.purge(key);
    }
}
