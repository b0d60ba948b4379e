package dev.signet.store;

import static dev.signet.store.Fills.commit;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreBudgetTest {

    private static final int KIB = 1024;

    @TempDir
    Path root;
    private ArtifactStore store;

    @BeforeEach
    void open() throws Exception {
        store = ArtifactStore.open(root);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    @Test
    void evictsUntilTheStoreFitsItsBudgetAndDeletesTheFiles() throws Exception {
        StoreBudget budget = new StoreBudget(store, 100 * KIB, 0, Runnable::run);
        List<StoredArtifact> entries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            StoredArtifact entry = commit(store, new ArtifactKey("p", "f" + i + ".whl"), new byte[30 * KIB]);
            entries.add(entry);
            budget.admit(entry);
        }
        budget.cleanUp();

        assertThat(budget.bytes()).isLessThanOrEqualTo(100 * KIB);
        long onDisk = entries.stream().filter(e -> e.path().toFile().exists()).count();
        assertThat(onDisk).isEqualTo(budget.entryCount()).isLessThanOrEqualTo(3);
        assertThat(budget.evictionCount()).isEqualTo(10 - onDisk);
        for (StoredArtifact e : entries) {
            boolean present = store.lookup(e.key()).isPresent();
            assertThat(present).as(e.key().toString()).isEqualTo(e.path().toFile().exists());
        }
    }

    @Test
    void regressionUsesAnsweredFromMemoryKeepAnArtifactPopularOnDisk() throws Exception {
        // The bug: hits answered from the memory tier never touched the budget, so the most requested artifact looked
        // unused to W-TinyLFU and was evicted from disk (and with it from memory) ahead of one-off downloads.
        StoreBudget budget = new StoreBudget(store, 100 * KIB, 0, Runnable::run);
        StoredArtifact hot = commit(store, new ArtifactKey("p", "hot.whl"), new byte[30 * KIB]);
        budget.admit(hot);
        // Caffeine sizes its frequency sketch once the cache is half full; count uses from then on.
        for (int i = 0; i < 2; i++) {
            budget.admit(commit(store, new ArtifactKey("p", "early" + i + ".whl"), new byte[30 * KIB]));
        }
        budget.cleanUp();
        for (int i = 0; i < 20; i++) {
            budget.recordUse(hot.key());
        }
        for (int i = 0; i < 10; i++) {
            StoredArtifact once = commit(store, new ArtifactKey("p", "once" + i + ".whl"), new byte[30 * KIB]);
            budget.admit(once);
            budget.cleanUp();
        }
        assertThat(budget.bytes()).isLessThanOrEqualTo(100 * KIB);
        assertThat(budget.entries()).contains(hot.key());
        assertThat(hot.path()).exists();
    }

    @Test
    void anEntryBeingServedIsDeletedOnlyAfterItsLastReader() throws Exception {
        // min-free larger than any disk: enforcing it evicts every entry, deterministically.
        StoreBudget budget = new StoreBudget(store, 1L << 40, Long.MAX_VALUE / 2, Runnable::run);
        StoredArtifact served = commit(store, new ArtifactKey("p", "served.whl"), new byte[40 * KIB]);
        StoredArtifact idle = commit(store, new ArtifactKey("p", "idle.whl"), new byte[40 * KIB]);
        budget.admit(served);
        budget.admit(idle);
        StoreBudget.Lease first = budget.open(served.key());
        StoreBudget.Lease second = budget.open(served.key());

        budget.enforceFreeSpace();
        assertThat(budget.evictionCount()).isEqualTo(2);
        assertThat(idle.path()).doesNotExist();
        assertThat(served.path()).as("still being served").exists();

        first.close();
        assertThat(served.path()).as("one reader left").exists();
        second.close();
        second.close();
        assertThat(served.path()).as("deleted once the last reader left").doesNotExist();
        assertThat(store.lookup(served.key())).isEmpty();
    }

    @Test
    void evictionDoesNotDeleteANewerFillOfTheSameArtifact() throws Exception {
        ArtifactKey key = new ArtifactKey("p", "same.whl");
        StoredArtifact old = commit(store, key, new byte[] {1, 2, 3});
        StoredArtifact newer = commit(store, key, new byte[] {4, 5, 6, 7});

        assertThat(store.removeIfUnchanged(old)).isFalse();
        assertThat(store.lookup(key)).hasValueSatisfying(e -> assertThat(e.record()).isEqualTo(newer.record()));
        assertThat(store.removeIfUnchanged(newer)).isTrue();
        assertThat(store.lookup(key)).isEmpty();
    }

    @Test
    void minFreeShrinksTheBudgetWhenTheDiskIsFuller() throws Exception {
        // Asking for more free space than any test disk has forces the budget to zero.
        StoreBudget budget = new StoreBudget(store, 1L << 40, Long.MAX_VALUE / 2, Runnable::run);
        StoredArtifact entry = commit(store, new ArtifactKey("p", "x.whl"), new byte[10 * KIB]);
        budget.admit(entry);
        budget.enforceFreeSpace();
        assertThat(budget.entryCount()).isZero();
        assertThat(entry.path()).doesNotExist();
    }
}
