package dev.signet.server.artifact;

import dev.signet.fill.VerifyingFill;
import dev.signet.sig.VerificationException;
import dev.signet.store.ArtifactKey;
import dev.signet.store.StoredArtifact;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A tier between this edge's cache and the upstream: the shared store of a fleet (docs/fleet.md). A fill asks it
 * first and falls back to the upstream whenever it has nothing verified to give, whatever the reason; after a verified
 * upstream fill it is offered the committed file. The tier is untrusted: what it reads goes through the very
 * {@link VerifyingFill} an upstream fill would use, begun by the fill itself, and is committed only if every check
 * passes. {@link #NONE} is the edge without a shared store.
 */
public interface SharedTier extends AutoCloseable {

    /**
     * Begins the fill's own verify path for a signature read from the tier: the same keyring check (before any byte of
     * the body) and the same page expectations (length, sha256) as for the upstream's signature.
     */
    @FunctionalInterface
    interface FillStart {
        Intake begin(byte[] signature) throws VerificationException, IOException;
    }

    /**
     * The fill's verify path for a body read by a blocking caller: the same {@link VerifyingFill}, fed through the
     * same pipeline as an upstream body. Closing before {@link #complete} (or after it failed) deletes the temp file.
     */
    interface Intake extends AutoCloseable {
        /**
         * Blocking: the next bytes of the body, from the buffer's position to its limit. The intake keeps a copy, so
         * the caller may reuse the buffer as soon as this returns.
         */
        void accept(ByteBuffer block) throws IOException, VerificationException;

        /** Blocking: every check of {@link VerifyingFill#complete}, then the commit; {@code declaredLength} or -1. */
        StoredArtifact complete(long declaredLength) throws IOException, VerificationException;

        @Override
        void close();
    }

    /**
     * Tries to fill {@code key} from the tier: completes with the committed entry, or with {@code null} when the tier
     * has no object, refused it (it is removed from the tier), failed, or is skipped. Never completes exceptionally:
     * nothing the tier does can fail a request the upstream could serve.
     */
    CompletableFuture<StoredArtifact> fill(ArtifactKey key, FillStart start);

    /** After a verified fill from the upstream: the committed entry is offered to the tier. Returns at once. */
    void offer(StoredArtifact committed);

    /** Blocking: removes {@code key} from the tier (admin purge); failures are logged, not thrown. */
    void purge(ArtifactKey key);

    /** Stops its threads and connections; fills still waiting for it fall back to the upstream. */
    @Override
    default void close() {
    }

    /** No shared store: every fill goes to the upstream. */
    SharedTier NONE = new SharedTier() {
        @Override
        public CompletableFuture<StoredArtifact> fill(ArtifactKey key, FillStart start) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void offer(StoredArtifact committed) {
        }

        @Override
        public void purge(ArtifactKey key) {
        }
    };
}
