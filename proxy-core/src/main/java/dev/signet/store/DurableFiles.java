package dev.signet.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The store's commit steps for callers outside it ({@code signet publish}, persisted page state): write a temp file
 * next to its target, fsync it, rename it over the target, fsync the directory. Readers of the target see either the
 * old complete file or the new complete one; a crash leaves at most a temp file behind.
 */
public final class DurableFiles {
    /** Enough concurrent fsyncs for a filesystem to group them into few journal commits. */
    private static final int SYNC_THREADS = 32;

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

    /** Writes {@code bytes} to a new temp file in {@code dir} without fsync; the caller syncs it with {@link #syncAll}. */
    public static Path writeTempUnsynced(Path dir, String prefix, byte[] bytes) throws IOException {
        Path temp = Files.createTempFile(dir, prefix, ".part");
        try {
            Files.write(temp, bytes);
            return temp;
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** {@link #writeTemp} then {@link #publish}: {@code target} is replaced atomically (the directory is not synced). */
    public static void replace(Path target, byte[] bytes) throws IOException {
        publish(writeTemp(target.getParent(), "." + target.getFileName() + "-", bytes), target);
    }

    /**
     * fsyncs many files or directories at once. One fsync costs a journal commit (milliseconds on a busy disk); a
     * journaling filesystem commits concurrent ones together, so a batch of N costs far less than N in a row.
     */
    public static void syncAll(Collection<Path> paths) throws IOException {
        if (paths.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(SYNC_THREADS, paths.size()), task -> {
            Thread thread = new Thread(task, "signet-fsync");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> syncs = new ArrayList<>(paths.size());
            for (Path path : paths) {
                syncs.add(pool.submit(() -> {
                    syncPath(path);
                    return null;
                }));
            }
            for (Future<?> sync : syncs) {
                try {
                    sync.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof IOException io ? io : new IOException("fsync failed", e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while syncing");
        } finally {
            pool.shutdownNow();
        }
    }

    /** fsyncs one file or directory (for callers that overlap syncs with other work; {@link #syncAll} batches). */
    public static void sync(Path path) throws IOException {
        syncPath(path);
    }

    private static void syncPath(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            Durability.fsyncDirectory(path);
        } else {
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }
    }

    /**
     * Creates {@code dir} (and missing parents) owner-only, {@code 0700}, as the cache's own directories are, and
     * narrows an existing one: state kept in the cache directory is as private as the cache.
     */
    public static Path ownerOnlyDirectory(Path dir) throws IOException {
        return OwnerOnly.ensureDirectory(dir);
    }

    /** Makes renames and unlinks inside {@code dir} durable. */
    public static void syncDirectory(Path dir) throws IOException {
        Durability.fsyncDirectory(dir);
    }
}
