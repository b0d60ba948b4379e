package dev.signet.store;

import java.nio.file.Path;

/** Where each file of the store lives under its root. */
final class StoreLayout {

    static final String TMP_DIR = "tmp";
    static final String ARTIFACTS_DIR = "artifacts";
    static final String LOCK_FILE = "store.lock";

    private final Path root;

    StoreLayout(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Temp files live under the root so that renaming them into place never crosses a filesystem. */
    Path tmpDir() {
        return root.resolve(TMP_DIR);
    }

    Path artifactsDir() {
        return root.resolve(ARTIFACTS_DIR);
    }

    Path lockFile() {
        return root.resolve(LOCK_FILE);
    }

    Path projectDir(ArtifactKey key) {
        return artifactsDir().resolve(key.project());
    }

    Path dataPath(ArtifactKey key) {
        return projectDir(key).resolve(key.filename());
    }

    Path sidecarPath(ArtifactKey key) {
        return projectDir(key).resolve(key.filename() + ArtifactKey.SIDECAR_SUFFIX);
    }
}
