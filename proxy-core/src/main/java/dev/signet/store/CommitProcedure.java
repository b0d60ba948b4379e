package dev.signet.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ordered steps that turn a verified temp file into a store entry. The order is what makes a
 * crash at any point harmless:
 * <ol>
 *   <li>the old sidecar, if any, is unlinked (and the directory synced) first, so no later crash can
 *       pair the old record with the new bytes;</li>
 *   <li>the fsynced data is renamed into place: until a sidecar exists it is an orphan, never an entry;</li>
 *   <li>the identity is read after the rename, because rename changes the ctime;</li>
 *   <li>the sidecar is written to tmp/, fsynced and renamed into place: the entry now exists;</li>
 *   <li>the directory is fsynced so both renames survive a power loss.</li>
 * </ol>
 * Each step is package-private so tests can stop between any two of them and check what a
 * restart makes of the result. Callers hold the key's lock.
 */
final class CommitProcedure {

    private final StoreLayout layout;
    private final ArtifactKey key;
    private final Path dataTemp;
    private final ArtifactRecord record;

    CommitProcedure(StoreLayout layout, ArtifactKey key, Path dataTemp, ArtifactRecord record) {
        this.layout = layout;
        this.key = key;
        this.dataTemp = dataTemp;
        this.record = record;
    }

    StoredArtifact run() throws IOException {
        prepareProjectDirectory();
        retireOldSidecar();
        publishData();
        try {
            FileIdentity identity = readIdentity();
            publishSidecar(writeSidecarTemp(identity));
            syncProjectDirectory();
            return new StoredArtifact(key, layout.dataPath(key), record, identity);
        } catch (IOException | RuntimeException | Error e) {
            // Leave no entry rather than one whose durability or content is in doubt.
            discardPublished(e);
            throw e;
        }
    }

    void prepareProjectDirectory() throws IOException {
        Path dir = layout.projectDir(key);
        if (!Files.isDirectory(dir)) {
            OwnerOnly.createDirectories(dir);
            Durability.fsyncDirectory(layout.artifactsDir());
        }
    }

    void retireOldSidecar() throws IOException {
        if (Files.deleteIfExists(layout.sidecarPath(key))) {
            Durability.fsyncDirectory(layout.projectDir(key));
        }
    }

    void publishData() throws IOException {
        Durability.atomicMove(dataTemp, layout.dataPath(key));
    }

    FileIdentity readIdentity() throws IOException {
        FileIdentity identity = FileIdentity.of(layout.dataPath(key));
        if (identity.size() != record.length()) {
            throw new IOException("data file of " + key + " is " + identity.size()
                    + " bytes after rename, but " + record.length() + " were written");
        }
        return identity;
    }

    Path writeSidecarTemp(FileIdentity identity) throws IOException {
        return SidecarFiles.writeTemp(layout, key, record, identity);
    }

    void publishSidecar(Path sidecarTemp) throws IOException {
        SidecarFiles.publish(layout, key, sidecarTemp);
    }

    void syncProjectDirectory() throws IOException {
        Durability.fsyncDirectory(layout.projectDir(key));
    }

    private void discardPublished(Throwable cause) {
        for (Path p : new Path[] {layout.sidecarPath(key), layout.dataPath(key)}) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException suppressed) {
                cause.addSuppressed(suppressed);
            }
        }
    }
}
