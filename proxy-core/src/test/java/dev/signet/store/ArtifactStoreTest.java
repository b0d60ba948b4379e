package dev.signet.store;

import static dev.signet.store.Fills.commit;
import static dev.signet.store.Fills.recordFor;
import static dev.signet.store.Fills.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {

    private static final ArtifactKey KEY = new ArtifactKey("requests", "requests-2.31.0-py3-none-any.whl");
    private static final byte[] DATA = "wheel bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;

    private ArtifactStore store;

    @BeforeEach
    void open() throws IOException {
        store = ArtifactStore.open(root);
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    private ArtifactStore reopen() throws IOException {
        store.close();
        store = ArtifactStore.open(root);
        return store;
    }

    private Path data(ArtifactKey key) {
        return root.resolve("artifacts").resolve(key.project()).resolve(key.filename());
    }

    private Path sidecar(ArtifactKey key) {
        return root.resolve("artifacts").resolve(key.project()).resolve(key.filename() + ".signet");
    }

    private List<Path> tmpFiles() throws IOException {
        try (Stream<Path> s = Files.list(root.resolve("tmp"))) {
            return s.toList();
        }
    }

    @Test
    void openCreatesTheLayout() {
        assertThat(store.root()).isEqualTo(root.toAbsolutePath());
        assertThat(root.resolve("tmp")).isDirectory();
        assertThat(root.resolve("artifacts")).isDirectory();
    }

    @Test
    void commitThenLookupRoundTrips() throws IOException {
        StoredArtifact committed;
        try (PendingFill fill = store.beginFill(KEY)) {
            assertThat(fill.key()).isEqualTo(KEY);
            assertThat(fill.tempPath().getParent()).isEqualTo(root.resolve("tmp").toAbsolutePath());
            ByteBuffer buf = ByteBuffer.wrap(DATA);
            fill.write(buf);
            assertThat(buf.hasRemaining()).isFalse();
            assertThat(fill.bytesWritten()).isEqualTo(DATA.length);
            committed = fill.commit(recordFor(DATA));
        }

        assertThat(committed.path()).isEqualTo(data(KEY).toAbsolutePath());
        assertThat(committed.path()).hasBinaryContent(DATA);
        assertThat(committed.identity()).isEqualTo(FileIdentity.of(data(KEY)));
        assertThat(committed.identityMatchesDisk()).isTrue();
        assertThat(tmpFiles()).isEmpty();

        StoredArtifact found = reopen().lookup(KEY).orElseThrow();
        assertThat(found.key()).isEqualTo(KEY);
        assertThat(found.path()).isEqualTo(committed.path());
        assertThat(found.record()).isEqualTo(recordFor(DATA));
        assertThat(found.identity()).isEqualTo(committed.identity());
        assertThat(found.identityMatchesDisk()).isTrue();
    }

    @Test
    void lookupOfAnUnknownKeyIsEmpty() throws IOException {
        assertThat(store.lookup(KEY)).isEmpty();
    }

    @Test
    void theTempFileCanBeReReadBeforeCommit() throws IOException {
        try (PendingFill fill = written(store, KEY, DATA); FileChannel ch = fill.readChannel()) {
            ByteBuffer back = ByteBuffer.allocate(DATA.length);
            while (back.hasRemaining() && ch.read(back) >= 0) {
                // read until full
            }
            assertThat(back.array()).isEqualTo(DATA);
        }
    }

    @Test
    void closingTheStoreDeletesTempFilesOfFillsThatNeverFinishedAndKeepsEntries() throws IOException {
        try (PendingFill done = written(store, KEY, DATA)) {
            done.commit(recordFor(DATA));
        }
        PendingFill abandoned = written(store, new ArtifactKey("other", "other-1.0-py3-none-any.whl"), DATA);
        assertThat(tmpFiles()).hasSize(1);

        store.close();

        assertThat(tmpFiles()).as("an aborted fill's temp file does not outlive the store").isEmpty();
        abandoned.close();
        try (ArtifactStore reopened = ArtifactStore.open(root)) {
            assertThat(reopened.lookup(KEY)).isPresent();
        }
    }

    @Test
    void abortLeavesNothingBehind() throws IOException {
        PendingFill fill = written(store, KEY, DATA);
        Path temp = fill.tempPath();
        assertThat(temp).exists();
        fill.close();
        fill.close();
        assertThat(temp).doesNotExist();
        assertThat(tmpFiles()).isEmpty();
        assertThat(store.lookup(KEY)).isEmpty();
        assertThat(data(KEY)).doesNotExist();
        assertThatThrownBy(() -> fill.write(ByteBuffer.wrap(DATA)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("fill for " + KEY + " is already aborted");
    }

    @Test
    void closeAfterCommitKeepsTheEntryAndACommittedFillCannotBeReused() throws IOException {
        PendingFill fill = written(store, KEY, DATA);
        fill.commit(recordFor(DATA));
        fill.close();
        assertThat(store.lookup(KEY)).isPresent();
        assertThatThrownBy(() -> fill.commit(recordFor(DATA)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("fill for " + KEY + " is already committed");
    }

    @Test
    void commitRefusesARecordWhoseLengthDiffersFromTheBytesWritten() throws IOException {
        try (PendingFill fill = written(store, KEY, DATA)) {
            byte[] other = "other".getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> fill.commit(recordFor(other)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("record length 5 differs from the 11 bytes written for " + KEY);
        }
        assertThat(store.lookup(KEY)).isEmpty();
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void leftoverTempFilesAreDeletedOnOpen() throws IOException {
        PendingFill abandoned = written(store, KEY, DATA);
        Path stray = Files.writeString(root.resolve("tmp").resolve("sidecar-123.part"), "{");
        store.close();

        store = ArtifactStore.open(root);

        assertThat(abandoned.tempPath()).doesNotExist();
        assertThat(stray).doesNotExist();
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void aSecondOpenOfTheSameRootIsRefusedWhileTheFirstIsOpen() {
        assertThatThrownBy(() -> ArtifactStore.open(root))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is already open");
    }

    @Test
    void aClosedStoreRefusesWork() throws IOException {
        store.close();
        store.close();
        assertThatThrownBy(() -> store.lookup(KEY)).isInstanceOf(IllegalStateException.class)
                .hasMessageEndingWith("is closed");
        store = ArtifactStore.open(root);
    }

    @Test
    void commitReplacesAnExistingEntry() throws IOException {
        StoredArtifact first = commit(store, KEY, DATA);
        byte[] newer = "newer wheel bytes, longer".getBytes(StandardCharsets.UTF_8);

        StoredArtifact second = commit(store, KEY, newer);

        assertThat(second.path()).hasBinaryContent(newer);
        assertThat(second.identity()).isNotEqualTo(first.identity());
        assertThat(first.identityMatchesDisk()).isFalse();
        StoredArtifact found = store.lookup(KEY).orElseThrow();
        assertThat(found.record()).isEqualTo(recordFor(newer));
        assertThat(found.identityMatchesDisk()).isTrue();
        assertThat(store.scan(e -> { }).entries()).isEqualTo(1);
    }

    @Test
    void removeDeletesBothFiles() throws IOException {
        commit(store, KEY, DATA);
        store.remove(KEY);
        assertThat(data(KEY)).doesNotExist();
        assertThat(sidecar(KEY)).doesNotExist();
        assertThat(store.lookup(KEY)).isEmpty();
        store.remove(KEY);
    }

    @Test
    void corruptSidecarMakesLookupEmptyAndRemovesBothFiles() throws IOException {
        commit(store, KEY, DATA);
        Files.writeString(sidecar(KEY), "{\"format\":\"signet-artifact\",\"version\":1,");

        assertThat(store.lookup(KEY)).isEmpty();

        assertThat(data(KEY)).doesNotExist();
        assertThat(sidecar(KEY)).doesNotExist();
    }

    @Test
    void aSidecarCopiedNextToAnotherFileIsCorrupt() throws IOException {
        commit(store, KEY, DATA);
        ArtifactKey other = new ArtifactKey("requests", "requests-2.30.0-py3-none-any.whl");
        Files.copy(data(KEY), data(other), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(sidecar(KEY), sidecar(other));

        assertThat(store.lookup(other)).isEmpty();
        assertThat(data(other)).doesNotExist();
        assertThat(store.lookup(KEY)).isPresent();
    }

    @Test
    void lookupRemovesASidecarWhoseDataFileIsGone() throws IOException {
        commit(store, KEY, DATA);
        Files.delete(data(KEY));

        assertThat(store.lookup(KEY)).isEmpty();
        assertThat(sidecar(KEY)).doesNotExist();
    }

    @Test
    void identityNoLongerMatchesWhenTheFileIsRewrittenWithTheSameSize() throws IOException {
        StoredArtifact entry = commit(store, KEY, DATA);
        byte[] tampered = DATA.clone();
        tampered[0] ^= 1;
        Files.write(data(KEY), tampered);
        Files.setLastModifiedTime(data(KEY),
                FileTime.fromMillis(entry.identity().mtimeNanos() / 1_000_000 + 1_000));

        assertThat(entry.identityMatchesDisk()).isFalse();
        assertThat(store.lookup(KEY).orElseThrow().identityMatchesDisk()).isFalse();
    }

    @Test
    void identityNoLongerMatchesWhenTheFileIsReplacedByAnotherInode() throws IOException {
        StoredArtifact entry = commit(store, KEY, DATA);
        Files.createLink(root.resolve("keep-old-inode"), data(KEY));
        Path copy = root.resolve("copy");
        Files.copy(data(KEY), copy, StandardCopyOption.COPY_ATTRIBUTES);
        Files.move(copy, data(KEY), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        assertThat(entry.identityMatchesDisk()).isFalse();
    }

    @Test
    void identityDoesNotMatchAMissingFile() throws IOException {
        StoredArtifact entry = commit(store, KEY, DATA);
        Files.delete(data(KEY));
        assertThat(entry.identityMatchesDisk()).isFalse();
    }

    @Test
    void refreshIdentityRecordsTheNewIdentityOfARestoredFile() throws IOException {
        StoredArtifact entry = commit(store, KEY, DATA);
        restoreFromBackup(data(KEY));
        assertThat(entry.identityMatchesDisk()).isFalse();

        StoredArtifact refreshed = store.refreshIdentity(entry);

        assertThat(refreshed.identityMatchesDisk()).isTrue();
        assertThat(refreshed.record()).isEqualTo(entry.record());
        assertThat(refreshed.identity()).isEqualTo(FileIdentity.of(data(KEY))).isNotEqualTo(entry.identity());
        StoredArtifact afterRestart = reopen().lookup(KEY).orElseThrow();
        assertThat(afterRestart.identity()).isEqualTo(refreshed.identity());
        assertThat(afterRestart.identityMatchesDisk()).isTrue();
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void refreshIdentityRefusesWhenTheFileChangedAgainAfterVerification() throws IOException {
        StoredArtifact entry = commit(store, KEY, DATA);
        restoreFromBackup(data(KEY));
        FileIdentity verified = FileIdentity.of(data(KEY));
        restoreFromBackup(data(KEY));

        assertThatThrownBy(() -> store.refreshIdentity(entry, verified))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot refresh the identity of " + KEY + ": the file changed again after it was verified");
        assertThat(store.lookup(KEY).orElseThrow().identity()).isEqualTo(entry.identity());
    }

    @Test
    void refreshIdentityRefusesAnEntryReplacedSinceLookup() throws IOException {
        StoredArtifact stale = commit(store, KEY, DATA);
        commit(store, KEY, "other bytes".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> store.refreshIdentity(stale))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot refresh the identity of " + KEY + ": the entry was replaced since it was looked up");
    }

    @Test
    void refreshIdentityRefusesAFileWhoseSizeDiffersFromTheRecord() throws IOException {
        StoredArtifact entry = commit(store, KEY, DATA);
        Files.writeString(data(KEY), "longer than before");

        assertThatThrownBy(() -> store.refreshIdentity(entry))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot refresh the identity of " + KEY + ": the file is 18 bytes, the record says 11");
    }

    @Test
    void refreshIdentityRefusesARemovedEntry() throws IOException {
        StoredArtifact entry = commit(store, KEY, DATA);
        store.remove(KEY);

        assertThatThrownBy(() -> store.refreshIdentity(entry))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot refresh the identity of " + KEY + ": the entry was removed");
    }

    @Test
    void scanReportsEntriesAndRemovesOrphans() throws IOException {
        ArtifactKey complete = new ArtifactKey("requests", "requests-2.31.0.tar.gz");
        ArtifactKey dataOnly = new ArtifactKey("requests", "requests-2.30.0.tar.gz");
        ArtifactKey sidecarOnly = new ArtifactKey("idna", "idna-3.6.tar.gz");
        ArtifactKey corrupt = new ArtifactKey("idna", "idna-3.7.tar.gz");
        byte[] other = "idna bytes".getBytes(StandardCharsets.UTF_8);
        commit(store, complete, DATA);
        commit(store, new ArtifactKey("idna", "idna-3.5.tar.gz"), other);
        commit(store, dataOnly, DATA);
        Files.delete(sidecar(dataOnly));
        commit(store, sidecarOnly, DATA);
        Files.delete(data(sidecarOnly));
        commit(store, corrupt, DATA);
        Files.write(sidecar(corrupt), new byte[] {0, 1, 2});
        Path badName = Files.writeString(root.resolve("artifacts/idna/.hidden"), "x");
        Path badProject = Files.writeString(root.resolve("artifacts/Not_Normalized"), "x");
        Path unknownDir = Files.createDirectories(root.resolve("artifacts/idna/subdir"));

        List<ArtifactKey> seen = new ArrayList<>();
        ScanResult result = reopen().scan(e -> seen.add(e.key()));

        assertThat(seen).containsExactlyInAnyOrder(complete, new ArtifactKey("idna", "idna-3.5.tar.gz"));
        assertThat(result).isEqualTo(new ScanResult(2, DATA.length + other.length, 6));
        assertThat(data(dataOnly)).doesNotExist();
        assertThat(sidecar(sidecarOnly)).doesNotExist();
        assertThat(data(corrupt)).doesNotExist();
        assertThat(sidecar(corrupt)).doesNotExist();
        assertThat(badName).doesNotExist();
        assertThat(badProject).doesNotExist();
        assertThat(unknownDir).isDirectory();
        assertThat(store.scan(e -> { })).isEqualTo(new ScanResult(2, DATA.length + other.length, 0));
    }

    @Test
    void lookupsAndCommitsOfOneKeyFromManyThreadsNeverSeeAMixedEntry() throws Exception {
        int rounds = 40;
        List<byte[]> versions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            versions.add(("version " + i + " " + "x".repeat(i * 100)).getBytes(StandardCharsets.UTF_8));
        }
        Thread[] writers = new Thread[versions.size()];
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int w = 0; w < writers.length; w++) {
            byte[] mine = versions.get(w);
            writers[w] = new Thread(() -> {
                try {
                    for (int i = 0; i < rounds; i++) {
                        commit(store, KEY, mine);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            writers[w].start();
        }
        int checked = 0;
        while (anyAlive(writers) || checked == 0) {
            Optional<StoredArtifact> e = store.lookup(KEY);
            if (e.isPresent()) {
                StoredArtifact entry = e.get();
                // A complete entry always pairs a record with an identity of the same size.
                assertThat(entry.identity().size()).isEqualTo(entry.record().length());
                checked++;
            }
        }
        for (Thread t : writers) {
            t.join();
        }
        assertThat(failures).isEmpty();
        StoredArtifact last = store.lookup(KEY).orElseThrow();
        assertThat(last.identityMatchesDisk()).isTrue();
        assertThat(Fills.sha256(Files.readAllBytes(last.path()))).isEqualTo(last.record().sha256Hex());
        assertThat(tmpFiles()).isEmpty();
    }

    private static boolean anyAlive(Thread[] threads) {
        for (Thread t : threads) {
            if (t.isAlive()) {
                return true;
            }
        }
        return false;
    }

    /** What a restore from backup does: same bytes and mtime, but a new inode. */
    private void restoreFromBackup(Path file) throws IOException {
        Path backup = root.resolve("backup-" + System.nanoTime());
        Files.copy(file, backup, StandardCopyOption.COPY_ATTRIBUTES);
        Files.createLink(root.resolve("keep-" + System.nanoTime()), file);
        Files.move(backup, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
