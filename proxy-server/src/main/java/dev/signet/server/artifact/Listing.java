package dev.signet.server.artifact;

import dev.signet.server.index.MergedPage;
import dev.signet.server.index.Origin;
import dev.signet.store.ArtifactKey;

/**
 * What one project page says about one file: the upstream that lists it (whose keys verify it) and the sha256 it gives
 * (null when it gives none). {@code page} is the merged page instance it was read from, so that "still the same page"
 * is one reference comparison.
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

    /** The same statement read from another page instance. */
    Listing on(MergedPage other) {
        return new Listing(other, origin, sha256);
    }
}
