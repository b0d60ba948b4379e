package dev.signet.store;

import static dev.signet.store.Fills.recordFor;
import static dev.signet.store.Fills.written;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Stops a commit after each of its steps, as a crash would, then reopens and scans the store:
 * the result must be the old entry, the new entry or no entry, and never the old record paired
 * with the new bytes, a half-written file, or a leftover temp file.
 */
class CommitCrashTest {

    private static final ArtifactKey KEY = new ArtifactKey("numpy", "numpy-2.0.0-cp312-cp312-manylinux.whl");
    private static final byte[] OLD = "old wheel".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEW = "new wheel, different size".getBytes(StandardCharsets.UTF_8);

    private enum Outcome { OLD, NEW, NONE }

    @TempDir
    Path root;

    @ParameterizedTest(name = "fresh key, crash after {0} step(s) -> {1}")
    @CsvSource({"0, NONE", "1, NONE", "2, NONE", "3, NONE", "4, NONE", "5, NONE", "6, NEW", "7, NEW"})
    void crashWhileCommittingAFreshKey(int steps, Outcome expected) throws IOException {
        crashAndRecover(false, steps, expected);
    }

    @ParameterizedTest(name = "replacing, crash after {0} step(s) -> {1}")
    @CsvSource({"0, OLD", "1, OLD", "2, NONE", "3, NONE", "4, NONE", "5, NONE", "6, NEW", "7, NEW"})
    void crashWhileReplacingAnEntry(int steps, Outcome expected) throws IOException {
        crashAndRecover(true, steps, expected);
    }

    private void crashAndRecover(boolean withOldEntry, int steps, Outcome expected) throws IOException {
        ArtifactStore store = ArtifactStore.open(root);
        if (withOldEntry) {
            Fills.commit(store, KEY, OLD);
        }
        PendingFill fill = written(store, KEY, NEW);
        runSteps(new CommitProcedure(store.layout(), KEY, fill.tempPath(), recordFor(NEW)), steps);
        store.close();

        try (ArtifactStore recovered = ArtifactStore.open(root)) {
            ScanResult scan = recovered.scan(e -> { });
            Optional<StoredArtifact> entry = recovered.lookup(KEY);

            assertThat(listFiles(root.resolve("tmp"))).isEmpty();
            assertThat(scan.entries()).isEqualTo(expected == Outcome.NONE ? 0 : 1);
            switch (expected) {
                case NONE -> {
                    assertThat(entry).isEmpty();
                    assertThat(listFiles(root.resolve("artifacts").resolve(KEY.project()))).isEmpty();
                }
                case OLD -> assertConsistent(entry.orElseThrow(), OLD);
                case NEW -> assertConsistent(entry.orElseThrow(), NEW);
            }
        } finally {
            fill.close();
        }
    }

    /** Runs the first {@code steps} steps of the commit in their production order. */
    private static void runSteps(CommitProcedure commit, int steps) throws IOException {
        FileIdentity identity = null;
        Path sidecarTemp = null;
        for (int step = 1; step <= steps; step++) {
            switch (step) {
                case 1 -> commit.prepareProjectDirectory();
                case 2 -> commit.retireOldSidecar();
                case 3 -> commit.publishData();
                case 4 -> identity = commit.readIdentity();
                case 5 -> sidecarTemp = commit.writeSidecarTemp(identity);
                case 6 -> commit.publishSidecar(sidecarTemp);
                case 7 -> commit.syncProjectDirectory();
                default -> throw new IllegalArgumentException("a commit has 7 steps, not " + step);
            }
        }
    }

    private static void assertConsistent(StoredArtifact entry, byte[] expectedBytes) throws IOException {
        assertThat(entry.identityMatchesDisk()).isTrue();
        assertThat(entry.record()).isEqualTo(recordFor(expectedBytes));
        assertThat(entry.path()).hasBinaryContent(expectedBytes);
    }

    private static List<Path> listFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
