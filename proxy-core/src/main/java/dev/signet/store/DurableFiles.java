package dev.signet.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The store's commit steps for callers outside it ({@code signet publish}, persisted page state): write a temp file
 * next to its target, fsync it, rename it over the target, fsync the directory. Readers of the target see either the
 * old complete file or the new complete one; a crash leaves at most a temp file behind.
 */
public final class DurableFiles {

    private DurableFiles() {
    }

    /** Writes {@code bytes} to a new temp file in {@code dir} (same filesystem as its target) and fsyncs it. */
    public static Path writeTemp(Path dir, String prefix, byte[] bytes) throws IOException {
        Path temp = Files.createTempFile(dir, prefix, ".part");
        try {
            Durability.writeAndSync(temp, bytes);
            return temp;
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Renames a complete, fsynced temp file over {@code target} in one step; the temp is removed if that fails. */
    public static void publish(Path temp, Path target) throws IOException {
        try {
            Durability.atomicMove(temp, target);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** {@link #writeTemp} then {@link #publish}: {@code target} is replaced atomically (the directory is not synced). */
    public static void replace(Path target, byte[] bytes) throws IOException {
        publish(writeTemp(target.getParent(), "." + target.getFileName() + "-", bytes), target);
    }

    /** Makes a file's data durable (for files written by streaming, before they are renamed into place). */
    public static void sync(FileChannel channel) throws IOException {
        channel.force(true);
    }

    /** Makes renames and unlinks inside {@code dir} durable. */
    public static void syncDirectory(Path dir) throws IOException {
        Durability.fsyncDirectory(dir);
    }
}
