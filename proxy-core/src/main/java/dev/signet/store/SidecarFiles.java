package dev.signet.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading and atomically (re)placing sidecar files. Callers hold the key's lock. */
final class SidecarFiles {

    private SidecarFiles() {
    }

    /** Reads and decodes the sidecar; {@link java.nio.file.NoSuchFileException} if there is none. */
    static Sidecar read(StoreLayout layout, ArtifactKey key) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(layout.sidecarPath(key))) {
            // One byte more than allowed, so an oversized file is seen as such without reading it all.
            bytes = in.readNBytes(SidecarCodec.MAX_SIDECAR_BYTES + 1);
        }
        return SidecarCodec.decode(key, bytes);
    }

    /** Writes the sidecar content to a new fsynced file in tmp/, ready to be renamed into place. */
    static Path writeTemp(StoreLayout layout, ArtifactKey key, ArtifactRecord record, FileIdentity identity)
            throws IOException {
        return DurableFiles.writeTemp(layout.tmpDir(), "sidecar-", SidecarCodec.encode(key, record, identity));
    }

    static void publish(StoreLayout layout, ArtifactKey key, Path sidecarTemp) throws IOException {
        DurableFiles.publish(sidecarTemp, layout.sidecarPath(key));
    }

    /** Replaces the sidecar in one atomic step and makes the replacement durable. */
    static void install(StoreLayout layout, ArtifactKey key, ArtifactRecord record, FileIdentity identity)
            throws IOException {
        publish(layout, key, writeTemp(layout, key, record, identity));
        Durability.fsyncDirectory(layout.projectDir(key));
    }
}
