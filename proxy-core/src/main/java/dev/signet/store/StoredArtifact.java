package dev.signet.store;

import java.io.IOException;
import java.nio.file.Path;

/** A committed entry: where its bytes are, how they were verified, and the file identity recorded then. */
public final class StoredArtifact {

    private final ArtifactKey key;
    private final Path path;
    private final ArtifactRecord record;
    private final FileIdentity identity;

    StoredArtifact(ArtifactKey key, Path path, ArtifactRecord record, FileIdentity identity) {
        this.key = key;
        this.path = path;
        this.record = record;
        this.identity = identity;
    }

    public ArtifactKey key() {
        return key;
    }

    public Path path() {
        return path;
    }

    public ArtifactRecord record() {
        return record;
    }

    public FileIdentity identity() {
        return identity;
    }

    /**
     * Stats the data file now and compares it with the recorded identity. Any failure to stat,
     * including a missing file, answers {@code false}: the caller then re-verifies or refetches,
     * which is the safe direction.
     */
    public boolean identityMatchesDisk() {
        try {
            return identity.equals(FileIdentity.of(path));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "StoredArtifact[" + key + ", " + record + ", " + identity + "]";
    }
}
