package dev.signet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.pages.PageHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageHistoryStoreTest {

    private static final String SHA = "c".repeat(64);

    @TempDir
    Path root;

    private ArtifactStore artifacts;

    @org.junit.jupiter.api.AfterEach
    void close() throws IOException {
        if (artifacts != null) {
            artifacts.close();
        }
    }

    /** A new store instance over the same directory, as after a restart. */
    private PageHistoryStore open() throws IOException {
        return open("primary");
    }

    private PageHistoryStore open(String namespace) throws IOException {
        close();
        artifacts = ArtifactStore.open(root);
        return PageHistoryStore.of(artifacts, namespace);
    }

    @Test
    void aRecordedSerialSurvivesAReopen() throws IOException {
        open().record("six", new PageHistory(7, SHA));
        assertThat(open().read("six")).contains(new PageHistory(7, SHA));
        assertThat(open().read("seven")).isEmpty();
    }

    @Test
    void aSerialIsNeverLowered() throws IOException {
        PageHistoryStore store = open();
        store.record("six", new PageHistory(7, SHA));
        store.record("six", new PageHistory(3, "d".repeat(64)));
        assertThat(open().read("six")).contains(new PageHistory(7, SHA));
    }

    @Test
    void purgingPagesAndReopeningTheStoreKeepTheRecords() throws IOException {
        open().record("six", new PageHistory(7, SHA));
        open();
        PageStore pages = PageStore.of(artifacts, "primary");
        pages.removeAll();
        assertThat(Files.exists(root.resolve("page-state/primary/six"))).isTrue();
        assertThat(open().read("six")).contains(new PageHistory(7, SHA));
    }

    @Test
    void aDamagedRecordIsAnErrorNotAMissingRecord() throws IOException {
        open().record("six", new PageHistory(7, SHA));
        Files.writeString(root.resolve("page-state/primary/six"), "7 garbage\n");
        // Read as "nothing known", it would let any older page in.
        assertThatThrownBy(() -> open().read("six")).isInstanceOf(IOException.class).hasMessageContaining("damaged");
    }

    @Test
    void upstreamsKeepSeparateRecords() throws IOException {
        open().record("six", new PageHistory(7, SHA));
        assertThat(open("mirror").read("six")).isEmpty();
    }

    @Test
    void refusesNamesThatAreNotNormalizedProjects() throws IOException {
        PageHistoryStore store = open();
        assertThatThrownBy(() -> store.read("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.read("Six")).isInstanceOf(IllegalArgumentException.class);
    }
}
