package dev.signet.server.artifact;

import dev.signet.store.StoredArtifact;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.time.Instant;

/**
 * A verified artifact, opened and ready to send. The channel was opened before the identity check, so the bytes sent
 * are the bytes of the file that was checked even if the path is replaced meanwhile. Whoever takes it must either hand
 * {@link #channel()} to a file region (which closes it) or call {@link #close()}.
 */
public record ServableArtifact(StoredArtifact entry, FileChannel channel, CacheOutcome outcome) implements AutoCloseable {

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
        return new ServableArtifact(entry, channel, newOutcome);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a read-only channel cannot lose data; nothing to report.
        }
    }
}
