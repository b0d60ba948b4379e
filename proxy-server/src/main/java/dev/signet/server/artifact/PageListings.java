package dev.signet.server.artifact;

import dev.signet.server.index.IndexService;
import dev.signet.server.index.MergedPage;
import dev.signet.store.ArtifactKey;
import dev.signet.store.StoredArtifact;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a cached file tied to the page that vouches for it (issue: a file cached from an extra upstream kept being
 * served after the primary listed the same name with another sha256). For every entry this process trusts, it
 * remembers the {@link Listing} (upstream and sha256) the file was verified against. Before a serve,
 * {@link #changed} compares that with the project page Signet holds now: the same page instance costs one map lookup
 * and one reference comparison, which keeps the hit path (memory tier included) cheap; only a new page (a refresh, a
 * merge that changed) is looked into. When the page now names another upstream, or a sha256 other than the cached
 * file's, the file is not served until it is verified again against what the page says now.
 *
 * <p>Only the page already in memory is consulted; a serve never fetches a page (a cached artifact stays servable
 * while its upstream is down). A file the current page does not list is judged as before (its recorded signature,
 * the re-verification keys of its project). Non-blocking; safe on an event loop.
 */
final class PageListings {

    private final IndexService index;
    /** The listing each trusted entry was last verified or found consistent against; absent = not known. */
    private final ConcurrentHashMap<ArtifactKey, Listing> vouched = new ConcurrentHashMap<>();

    PageListings(IndexService index) {
        this.index = index;
    }

    /** What the page held now says about {@code key}; null when no page is held or it does not list the file. */
    Listing current(ArtifactKey key) {
        MergedPage now = index.current(key.project());
        return now == null ? null : Listing.of(now, key);
    }

    /**
     * Null when {@code entry} may be served as far as the page is concerned: no page held, the page it was checked
     * against, or a newer page that says the same (upstream, and a sha256 that is absent or the file's). Otherwise the
     * listing it must be verified against before it is served.
     */
    Listing changed(StoredArtifact entry) {
        ArtifactKey key = entry.key();
        MergedPage now = index.current(key.project());
        if (now == null) {
            return null;
        }
        Listing known = vouched.get(key);
        if (known != null && known.page() == now) {
            return null;
        }
        Listing listing = Listing.of(now, key);
        if (listing == null) {
            // Not listed there: nothing to compare. Remember having looked at this page, so that the next hit is one
            // comparison again rather than a scan of the page (what it was verified against stays as it was).
            remember(key, known, known == null ? Listing.unlisted(now) : known.on(now));
            return null;
        }
        if (known != null && known.origin() != null && known.origin().name().equals(listing.origin().name())
                && agrees(listing, entry)) {
            remember(key, known, listing);
            return null;
        }
        return listing;
    }

    /** Replaces {@code known} (by identity: a concurrent vouch or forget wins) with {@code next}. */
    private void remember(ArtifactKey key, Listing known, Listing next) {
        if (known == null) {
            vouched.putIfAbsent(key, next);
        } else {
            vouched.computeIfPresent(key, (k, current) -> current == known ? next : current);
        }
    }

    /** Whether the page's sha256 (if it gives one) is the one the cached file was verified to have. */
    static boolean agrees(Listing listing, StoredArtifact entry) {
        // Both are public values (the page's and the record's), so a plain comparison is fine.
        return listing.sha256() == null || listing.sha256().equalsIgnoreCase(entry.record().sha256Hex());
    }

    /** {@code entry} was verified against {@code listing}; null when no page was known (then the next page is checked). */
    void vouch(ArtifactKey key, Listing listing) {
        if (listing == null) {
            vouched.remove(key);
        } else {
            vouched.put(key, listing);
        }
    }

    void forget(ArtifactKey key) {
        vouched.remove(key);
    }
}
