package dev.signet.store;

import static dev.signet.store.Fills.commit;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything the store writes is Signet's own user's only (directories 0700, files 0600): in identity mode the cached
 * file itself is sent, so nobody else may be able to change it. Private serve copies are reachable by no path at all.
 */
class StorePermissionsTest {

    private static final ArtifactKey KEY = new ArtifactKey("requests", "requests-2.31.0-py3-none-any.whl");
    private static final byte[] DATA = "wheel bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void directoriesAreCreated0700AndFiles0600() throws IOException {
        Path root = dir.resolve("cache");
        try (ArtifactStore store = ArtifactStore.open(root)) {
            commit(store, KEY, DATA);
            PageStore pages = PageStore.of(store, "primary");
            pages.write("requests", new StoredPage("http://up/simple/requests/", "text/html", null, null, 1, DATA));
            assertThat(mode(root)).isEqualTo("rwx------");
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    assertThat(mode(p)).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
                }
            }
            assertThat(root.resolve("artifacts/requests")).isDirectory();
            assertThat(root.resolve("store.lock")).isRegularFile();
        }
    }

    @Test
    void directoriesLeftOpenByAnOlderVersionAreNarrowedWhenTheStoreOpens() throws IOException {
        Path root = dir.resolve("cache");
        for (String sub : new String[] {"tmp", "artifacts", "pages/primary"}) {
            Files.createDirectories(root.resolve(sub));
            Files.setPosixFilePermissions(root.resolve(sub), PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        try (ArtifactStore store = ArtifactStore.open(root)) {
            PageStore.of(store, "primary");
            for (String sub : new String[] {"tmp", "artifacts", "pages", "pages/primary"}) {
                assertThat(mode(root.resolve(sub))).as(sub).isEqualTo("rwx------");
            }
        }
    }

    @Test
    void aPrivateFileHasNoNameAndIsGoneWhenClosed() throws IOException {
        try (ArtifactStore store = ArtifactStore.open(dir.resolve("cache"))) {
            FileChannel copy = store.privateFile();
            try (copy) {
                copy.write(ByteBuffer.wrap(DATA), 0);
                assertThat(copy.size()).isEqualTo(DATA.length);
                try (Stream<Path> tmp = Files.list(dir.resolve("cache/tmp"))) {
                    assertThat(tmp).as("unlinked as soon as it was opened").isEmpty();
                }
                ByteBuffer back = ByteBuffer.allocate(DATA.length);
                copy.read(back, 0);
                assertThat(back.array()).isEqualTo(DATA);
            }
            assertThat(copy.isOpen()).isFalse();
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
