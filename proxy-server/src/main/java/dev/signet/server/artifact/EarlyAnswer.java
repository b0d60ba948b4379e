package dev.signet.server.artifact;

import dev.signet.store.ArtifactKey;
import dev.signet.store.ArtifactRecord;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * A fill's verified temp file, answered to the clients that wait for the fill while its commit (fsync of the data,
 * rename, sidecar, directory fsyncs) runs, instead of after it. The commit's fsyncs are a fixed cost of every fill
 * (about 0.1 s of a 16 MB fill's 0.16 s here) that no client needs to wait for: what it is sent is what was verified.
 *
 * <p>Why no invariant moves (docs/cache-integrity.md, "Answering before the commit"):
 * <ul>
 *   <li>No byte before the verdict: this exists only once {@code VerifyingFill} has run every check, and the channel
 *   was opened then, on the inode whose bytes were written and hashed in one pass (the temp file is in the store's
 *   owner-only {@code tmp/}, written only by the fill, which has finished writing).</li>
 *   <li>Nothing committed unverified, crash-safe commit: the commit is exactly as before; this only reads. A crash at
 *   any point leaves the old state or the new one (an orphaned temp file is deleted when the store opens); the only
 *   difference is that a client may already hold verified bytes of a file the cache then does not keep.</li>
 *   <li>Bounded: no copy, one open channel per fill however many clients it answers.</li>
 * </ul>
 *
 * <p>Answering stops when the commit has ended ({@link #retire}); a request that comes later is served from the store
 * through its identity check, like any hit. Thread-safe.
 */
final class EarlyAnswer {

    private final ArtifactKey key;
    private final ArtifactRecord record;
    private final SharedFile file;
    private boolean retired;

    /** Takes over {@code verified}. */
    EarlyAnswer(ArtifactKey key, ArtifactRecord record, FileChannel verified) {
        this.key = key;
        this.record = record;
        this.file = new SharedFile(verified);
    }

    /** The verified bytes for one more client, until the commit has ended; then empty (serve from the store). */
    synchronized Optional<ServableArtifact> open(CacheOutcome outcome) {
        if (retired) {
            return Optional.empty();
        }
        file.retain();
        return Optional.of(ServableArtifact.verifiedTemp(key, record, file, outcome));
    }

    /** The verified file, for positional reads; valid until {@link #retire}. */
    FileChannel channel() {
        return file.channel();
    }

    /** The commit has ended (either way): no more clients from here; the file closes when the last response ends. */
    synchronized void retire() {
        if (!retired) {
            retired = true;
            file.release();
        }
    }
}
