package dev.signet.store;

import dev.signet.pages.PageHistory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The highest signed-page serial accepted per project of one upstream, {@code <root>/page-state/<namespace>/<project>},
 * one line {@code <serial> <sha256>}. Written like every other store file (temp file in the store's {@code tmp/},
 * fsync, rename, directory fsync), so a crash leaves the old record or the new one. Kept apart from
 * {@code pages/}: purging pages, {@code purge/all} and restarts never lower a serial (a replayed page stays refused).
 *
 * <p>A record that cannot be read is an error, never "no record": treating it as absent would accept any older page.
 * Blocking; called from worker threads.
 */
public final class PageHistoryStore {

    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern PROJECT = Pattern.compile("[a-z0-9]([a-z0-9-]{0,200}[a-z0-9])?");
    private static final Pattern LINE = Pattern.compile("([1-9][0-9]{0,18}) ([0-9a-f]{64})\n");

    private final Path dir;
    private final Path tmp;
    /** Records read or written by this process; a record only ever grows, so a cached one is never out of date. */
    private final ConcurrentHashMap<String, Optional<PageHistory>> known = new ConcurrentHashMap<>();

    private PageHistoryStore(Path dir, Path tmp) {
        this.dir = dir;
        this.tmp = tmp;
    }

    /** The records of one upstream, next to the artifacts of {@code store}, sharing its temp directory. */
    public static PageHistoryStore of(ArtifactStore store, String namespace) throws IOException {
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("not a page-state namespace: " + namespace);
        }
        Path root = store.root();
        return new PageHistoryStore(Files.createDirectories(root.resolve("page-state").resolve(namespace)),
                Files.createDirectories(root.resolve(StoreLayout.TMP_DIR)));
    }

    /** What was accepted for {@code project}, if anything; fails if a record exists but is damaged. */
    public Optional<PageHistory> read(String project) throws IOException {
        Optional<PageHistory> cached = known.get(project);
        if (cached != null) {
            return cached;
        }
        Optional<PageHistory> loaded = load(project);
        known.putIfAbsent(project, loaded);
        return known.get(project);
    }

    /** Durably records {@code history} unless a higher serial is recorded already. Call before serving the page. */
    public synchronized void record(String project, PageHistory history) throws IOException {
        Optional<PageHistory> current = read(project);
        if (current.isPresent() && current.get().equals(history)) {
            return;
        }
        if (current.isPresent() && current.get().highestSerial() > history.highestSerial()) {
            return;
        }
        byte[] line = (history.highestSerial() + " " + history.sha256Hex() + "\n").getBytes(StandardCharsets.US_ASCII);
        DurableFiles.publish(DurableFiles.writeTemp(tmp, "page-state-", line), file(project));
        Durability.fsyncDirectory(dir);
        known.put(project, Optional.of(history));
    }

    private Optional<PageHistory> load(String project) throws IOException {
        Path file = file(project);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        var match = LINE.matcher(text);
        if (!match.matches()) {
            throw new IOException("damaged page-state record " + file + ": expected '<serial> <sha256>'");
        }
        return Optional.of(new PageHistory(Long.parseLong(match.group(1)), match.group(2)));
    }

    private Path file(String project) {
        if (!PROJECT.matcher(project).matches()) {
            throw new IllegalArgumentException("not a normalized project name: " + project);
        }
        return dir.resolve(project);
    }
}
