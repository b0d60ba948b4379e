package dev.signet.server.artifact;

import dev.signet.store.StoreBudget;
import dev.signet.store.StoredArtifact;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.time.Instant;

/**
 * A verified artifact, opened and ready to send. The channel was opened before the identity check, so the bytes sent
 * are the bytes of the file that was checked even if the path is replaced meanwhile. The lease pins the entry against
 * eviction until the serve ends. Whoever takes it must call {@link #close()} once the response is written.
 */
public record ServableArtifact(StoredArtifact entry, FileChannel channel, StoreBudget.Lease lease, CacheOutcome outcome)
        implements AutoCloseable {

    public long length() {
        return entry.record().length();
    }

    public String etag() {
        return "\"sha256-" + entry.record().sha256Hex() + "\"";
    }

    public Instant lastModified() {
        return Instant.ofEpochMilli(entry.record().verifiedAtMillis());
    }

    public ServableArtifact withOutcome(CacheOutcome newOutcome) {
        return new ServableArtifact(entry, channel, lease, newOutcome);
    }

    /** Ends the serve: closes the file (if a file region has not already) and unpins the entry. Idempotent. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a read-only channel cannot lose data; nothing to report.
        } finally {
            lease.close();
        }
    }
}
