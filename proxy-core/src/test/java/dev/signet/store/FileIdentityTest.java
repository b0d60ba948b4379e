package dev.signet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileIdentityTest {

    @TempDir
    Path dir;

    @Test
    void readsSizeTimesAndInodeOfAnUnchangedFileStably() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "hello");
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2024-01-02T03:04:05.123456789Z")));
        FileIdentity id = FileIdentity.of(f);
        assertThat(id.size()).isEqualTo(5);
        assertThat(id.mtimeNanos()).isEqualTo(Instant.parse("2024-01-02T03:04:05.123456789Z").getEpochSecond()
                * 1_000_000_000L + 123_456_789L);
        assertThat(id.ctimeNanos()).isPositive();
        assertThat(id.inode()).isNotZero();
        assertThat(FileIdentity.of(f)).isEqualTo(id);
    }

    @Test
    void changesWhenRewrittenInPlaceWithTheSameSize() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "hello");
        FileTime original = FileTime.from(Instant.parse("2024-01-01T00:00:00Z"));
        Files.setLastModifiedTime(f, original);
        FileIdentity before = FileIdentity.of(f);

        Files.writeString(f, "jello");
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2024-01-01T00:00:01Z")));
        FileIdentity after = FileIdentity.of(f);

        assertThat(after.size()).isEqualTo(before.size());
        assertThat(after.inode()).isEqualTo(before.inode());
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void changesWhenReplacedByAnotherFileWithTheSameSizeAndMtime() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "hello");
        FileTime mtime = FileTime.from(Instant.parse("2024-01-01T00:00:00Z"));
        Files.setLastModifiedTime(f, mtime);
        FileIdentity before = FileIdentity.of(f);
        // Keep the old inode alive so the filesystem cannot hand the same number to the replacement.
        Files.createLink(dir.resolve("keep"), f);

        Path replacement = Files.writeString(dir.resolve("r"), "hello", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(replacement, mtime);
        Files.move(replacement, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        FileIdentity after = FileIdentity.of(f);

        assertThat(after.size()).isEqualTo(before.size());
        assertThat(after.mtimeNanos()).isEqualTo(before.mtimeNanos());
        assertThat(after.inode()).isNotEqualTo(before.inode());
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void failsForAMissingFile() {
        assertThatThrownBy(() -> FileIdentity.of(dir.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
    }
}
