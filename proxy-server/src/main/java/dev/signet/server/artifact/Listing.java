package dev.signet.server.artifact;

import dev.signet.server.index.MergedPage;
import dev.signet.server.index.Origin;
import dev.signet.store.ArtifactKey;

/**
 * What one project page says about one file: the upstream that lists it (whose keys verify it) and the sha256 it gives
 * (null when it gives none). {@code page} is the merged page instance it was read from, so that "still the same page"
 * is one reference comparison. {@link #unlisted} (no upstream) records that a page was looked at and does not list the
 * file, for an entry whose upstream is not known.
 */
record Listing(MergedPage page, Origin origin, String sha256) {

    /** What {@code page} says about {@code key}, or null when it does not list it (nor offer it as metadata). */
    static Listing of(MergedPage page, ArtifactKey key) {
        try {
            FillSource source = FillSource.resolve(page, key);
            return new Listing(page, source.origin(), source.sha256());
        } catch (ArtifactNotListedException notListed) {
            return null;
        }
    }

    static Listing of(MergedPage page, FillSource source) {
        return new Listing(page, source.origin(), source.sha256());
    }

    /** {@code page} does not list the file, and the upstream the entry was verified for is not known. */
    static Listing unlisted(MergedPage page) {
        return new Listing(page, null, null);
    }

    /** The same statement read from another page instance. */
    Listing on(MergedPage other) {
        return new Listing(other, origin, sha256);
    }
}
