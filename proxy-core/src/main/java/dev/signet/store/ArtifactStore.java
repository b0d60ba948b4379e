package dev.signet.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash-safe artifact store (see the package documentation for layout and invariants).
 *
 * <p>One process at a time may open a root: {@link #open} takes an exclusive lock on
 * {@code store.lock}, because it deletes leftovers in {@code tmp/} that would otherwise be another
 * live process's fills. All methods are blocking and thread-safe.
 */
public final class ArtifactStore implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ArtifactStore.class);

    private final StoreLayout layout;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final KeyLocks keyLocks = new KeyLocks();
    private volatile boolean closed;

    private ArtifactStore(StoreLayout layout, FileChannel lockChannel, FileLock lock) {
        this.layout = layout;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates the directories if needed, locks the root for this process and deletes leftovers in tmp/. */
    public static ArtifactStore open(Path root) throws IOException {
        StoreLayout layout = new StoreLayout(root.toAbsolutePath().normalize());
        // Owner-only: the root if Signet creates it, tmp/ and artifacts/ always (see OwnerOnly for why).
        OwnerOnly.createDirectories(layout.root());
        OwnerOnly.ensureDirectory(layout.tmpDir());
        OwnerOnly.ensureDirectory(layout.artifactsDir());
        if (!Files.getFileStore(layout.tmpDir()).equals(Files.getFileStore(layout.artifactsDir()))) {
            throw new IOException("store directories " + layout.tmpDir() + " and " + layout.artifactsDir()
                    + " are on different filesystems, so commits could not be atomic renames");
        }
        FileChannel channel = FileChannel.open(layout.lockFile(),
                java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), OwnerOnly.fileAttributes());
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("artifact store " + layout.root() + " is already open in another process or store");
        }
        ArtifactStore store = new ArtifactStore(layout, channel, lock);
        try {
            store.clearTmp();
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    public Path root() {
        return layout.root();
    }

    StoreLayout layout() {
        return layout;
    }

    /** Starts writing a new temp file for {@code key}; the caller commits or closes it. */
    public PendingFill beginFill(ArtifactKey key) throws IOException {
        ensureOpen();
        Path temp = Files.createTempFile(layout.tmpDir(), "fill-", ".part");
        try {
            return new PendingFill(this, key, temp, FileChannel.open(temp, StandardOpenOption.WRITE));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /**
     * A new empty file on the store's filesystem that no other process can reach by any path: created {@code 0600} in
     * tmp/ (itself {@code 0700}) and unlinked at once, so it lives exactly as long as the returned channel (closing it
     * frees the space, a crash frees it too, and a leftover from a crash between the two steps is removed when the store
     * opens or closes). Paranoid serving copies a cached file into one while verifying it and sends the copy, so a later
     * change to the cached file cannot reach the client. Only a process acting as Signet's own user or root could still
     * open it (through {@code /proc/<pid>/fd}); such a process can change Signet's memory too. The caller closes it.
     */
    public FileChannel privateFile() throws IOException {
        ensureOpen();
        Path temp = Files.createTempFile(layout.tmpDir(), "serve-", ".copy");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Files.delete(temp);
            return channel;
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    StoredArtifact commit(ArtifactKey key, Path dataTemp, ArtifactRecord record) throws IOException {
        ensureOpen();
        ReentrantLock l = keyLocks.lockFor(key);
        l.lock();
        try {
            return new CommitProcedure(layout, key, dataTemp, record).run();
        } finally {
            l.unlock();
        }
    }

    /**
     * The entry for {@code key}, or empty when there is none. A sidecar that cannot be read or
     * decoded, or whose data file is gone, is removed together with its data file. The caller must
     * still check {@link StoredArtifact#identityMatchesDisk()} before serving.
     */
    public Optional<StoredArtifact> lookup(ArtifactKey key) throws IOException {
        ensureOpen();
        ReentrantLock l = keyLocks.lockFor(key);
        l.lock();
        try {
            return readEntry(key);
        } finally {
            l.unlock();
        }
    }

    /** Removes the entry; the sidecar goes first so a crash in between leaves an orphan, not an entry. */
    public void remove(ArtifactKey key) throws IOException {
        ensureOpen();
        ReentrantLock l = keyLocks.lockFor(key);
        l.lock();
        try {
            removeFiles(key);
        } finally {
            l.unlock();
        }
    }

    /**
     * Removes the entry only if it is still the one {@code entry} describes (same record): an eviction decided a
     * while ago must not delete a newer fill of the same artifact. Returns whether it removed anything.
     */
    public boolean removeIfUnchanged(StoredArtifact entry) throws IOException {
        ensureOpen();
        ArtifactKey key = entry.key();
        ReentrantLock l = keyLocks.lockFor(key);
        l.lock();
        try {
            Optional<Sidecar> current = currentSidecar(key);
            if (current.isEmpty() || !current.get().record().equals(entry.record())) {
                return false;
            }
            removeFiles(key);
            return true;
        } finally {
            l.unlock();
        }
    }

    /**
     * Records the data file's current identity for an entry whose bytes the caller has just
     * re-verified. Prefer {@link #refreshIdentity(StoredArtifact, FileIdentity)}: this form cannot
     * tell whether the file changed again between the verification and now.
     */
    public StoredArtifact refreshIdentity(StoredArtifact entry) throws IOException {
        return refresh(entry, null);
    }

    /**
     * Records {@code verifiedIdentity} as the entry's identity, where {@code verifiedIdentity} is
     * what the caller read before re-verifying the bytes (ideally also checked unchanged after).
     * Refused with an IOException if the file's identity now differs from it, if its size differs
     * from the recorded length, or if the entry was replaced or removed since it was looked up.
     */
    public StoredArtifact refreshIdentity(StoredArtifact entry, FileIdentity verifiedIdentity) throws IOException {
        return refresh(entry, Objects.requireNonNull(verifiedIdentity, "verifiedIdentity"));
    }

    /** {@code verifiedIdentity} null means "whatever the file is now". */
    private StoredArtifact refresh(StoredArtifact entry, FileIdentity verifiedIdentity) throws IOException {
        ensureOpen();
        ArtifactKey key = entry.key();
        ReentrantLock l = keyLocks.lockFor(key);
        l.lock();
        try {
            Sidecar current = currentSidecar(key).orElseThrow(() -> new IOException(
                    "cannot refresh the identity of " + key + ": the entry was removed"));
            if (!current.record().equals(entry.record()) || !current.identity().equals(entry.identity())) {
                throw new IOException("cannot refresh the identity of " + key
                        + ": the entry was replaced since it was looked up");
            }
            FileIdentity now;
            try {
                now = FileIdentity.of(layout.dataPath(key));
            } catch (NoSuchFileException e) {
                throw new IOException("cannot refresh the identity of " + key + ": the data file is gone");
            }
            if (verifiedIdentity != null && !now.equals(verifiedIdentity)) {
                throw new IOException("cannot refresh the identity of " + key
                        + ": the file changed again after it was verified");
            }
            if (now.size() != entry.record().length()) {
                throw new IOException("cannot refresh the identity of " + key + ": the file is " + now.size()
                        + " bytes, the record says " + entry.record().length());
            }
            SidecarFiles.install(layout, key, entry.record(), now);
            return new StoredArtifact(key, layout.dataPath(key), entry.record(), now);
        } finally {
            l.unlock();
        }
    }

    /**
     * Walks artifacts/, hands every complete entry to {@code each} (outside any lock), and removes
     * orphans: data without sidecar, sidecar without data, corrupt pairs, and files whose names no
     * valid key produces. Directories it does not recognise are reported and left alone.
     */
    public ScanResult scan(Consumer<StoredArtifact> each) throws IOException {
        ensureOpen();
        ScanCounter counter = new ScanCounter();
        try (DirectoryStream<Path> projects = Files.newDirectoryStream(layout.artifactsDir())) {
            for (Path projectDir : projects) {
                String project = projectDir.getFileName().toString();
                if (Files.isDirectory(projectDir, LinkOption.NOFOLLOW_LINKS) && isValidProject(project)) {
                    scanProject(project, projectDir, each, counter);
                } else {
                    removeStray(projectDir, counter);
                }
            }
        }
        return new ScanResult(counter.entries, counter.bytes, counter.orphansRemoved);
    }

    /**
     * Deletes what is left in tmp/ (fills that were aborted, e.g. by a shutdown, before they could clean up after
     * themselves) and releases the process lock. Entries on disk stay. Close pending fills first: one still writing
     * would lose its temp file. Idempotent.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            clearTmp();
        } finally {
            try {
                lock.release();
            } finally {
                lockChannel.close();
            }
        }
    }

    private void scanProject(String project, Path projectDir, Consumer<StoredArtifact> each, ScanCounter counter)
            throws IOException {
        TreeSet<String> filenames = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(projectDir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String filename = name.endsWith(ArtifactKey.SIDECAR_SUFFIX)
                        ? name.substring(0, name.length() - ArtifactKey.SIDECAR_SUFFIX.length())
                        : name;
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && isValidFilename(filename)) {
                    filenames.add(filename);
                } else {
                    removeStray(file, counter);
                }
            }
        }
        for (String filename : filenames) {
            ArtifactKey key = new ArtifactKey(project, filename);
            Optional<StoredArtifact> entry = scanOne(key, counter);
            if (entry.isPresent()) {
                counter.entries++;
                counter.bytes += entry.get().record().length();
                each.accept(entry.get());
            }
        }
    }

    /** Re-checks one key under its lock: a commit may have completed since the directory was listed. */
    private Optional<StoredArtifact> scanOne(ArtifactKey key, ScanCounter counter) throws IOException {
        ReentrantLock l = keyLocks.lockFor(key);
        l.lock();
        try {
            boolean hasData = Files.isRegularFile(layout.dataPath(key), LinkOption.NOFOLLOW_LINKS);
            boolean hasSidecar = Files.isRegularFile(layout.sidecarPath(key), LinkOption.NOFOLLOW_LINKS);
            if (hasData && hasSidecar) {
                Optional<StoredArtifact> entry = readEntry(key);
                if (entry.isEmpty()) {
                    counter.orphansRemoved += 2;
                }
                return entry;
            }
            if (hasData || hasSidecar) {
                LOG.warn("removing orphan {} of {}: its {} is missing", hasData ? "data file" : "sidecar", key,
                        hasData ? "sidecar" : "data file");
                removeFiles(key);
                counter.orphansRemoved++;
            }
            return Optional.empty();
        } finally {
            l.unlock();
        }
    }

    /** The sidecar on disk now, or empty when there is none; the caller holds the key's lock. */
    private Optional<Sidecar> currentSidecar(ArtifactKey key) throws IOException {
        try {
            return Optional.of(SidecarFiles.read(layout, key));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private Optional<StoredArtifact> readEntry(ArtifactKey key) throws IOException {
        Sidecar sidecar;
        try {
            sidecar = SidecarFiles.read(layout, key);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("removing entry {}: {}", key, e.getMessage());
            removeFiles(key);
            return Optional.empty();
        }
        Path data = layout.dataPath(key);
        if (!Files.exists(data)) {
            LOG.warn("removing sidecar of {}: its data file is missing", key);
            removeFiles(key);
            return Optional.empty();
        }
        return Optional.of(new StoredArtifact(key, data, sidecar.record(), sidecar.identity()));
    }

    private void removeFiles(ArtifactKey key) throws IOException {
        Files.deleteIfExists(layout.sidecarPath(key));
        Files.deleteIfExists(layout.dataPath(key));
    }

    private static void removeStray(Path path, ScanCounter counter) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            LOG.warn("leaving unrecognised directory {} in the artifact store alone", path);
            return;
        }
        LOG.warn("removing {} from the artifact store: no valid artifact key names it", path);
        Files.deleteIfExists(path);
        counter.orphansRemoved++;
    }

    private void clearTmp() throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(layout.tmpDir())) {
            for (Path p : leftovers) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    LOG.warn("leaving unrecognised directory {} in the store's tmp/ alone", p);
                } else {
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
        }
        if (removed > 0) {
            LOG.info("removed {} leftover temp file(s) from {}", removed, layout.tmpDir());
        }
    }

    private static boolean isValidProject(String project) {
        return isValidKey(project, "x");
    }

    private static boolean isValidFilename(String filename) {
        return isValidKey("x", filename);
    }

    private static boolean isValidKey(String project, String filename) {
        try {
            new ArtifactKey(project, filename);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("artifact store " + layout.root() + " is closed");
        }
    }

    private static final class ScanCounter {
        long entries;
        long bytes;
        long orphansRemoved;
    }
}
