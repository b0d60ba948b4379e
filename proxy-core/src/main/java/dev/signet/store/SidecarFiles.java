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
        Path temp = Files.createTempFile(layout.tmpDir(), "sidecar-", ".part");
        try {
            Durability.writeAndSync(temp, SidecarCodec.encode(key, record, identity));
            return temp;
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    static void publish(StoreLayout layout, ArtifactKey key, Path sidecarTemp) throws IOException {
        try {
            Durability.atomicMove(sidecarTemp, layout.sidecarPath(key));
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(sidecarTemp);
            throw e;
        }
    }

    /** Replaces the sidecar in one atomic step and makes the replacement durable. */
    static void install(StoreLayout layout, ArtifactKey key, ArtifactRecord record, FileIdentity identity)
            throws IOException {
        publish(layout, key, writeTemp(layout, key, record, identity));
        Durability.fsyncDirectory(layout.projectDir(key));
    }
}
