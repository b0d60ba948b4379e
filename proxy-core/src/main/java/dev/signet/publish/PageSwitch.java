package dev.signet.publish;

import dev.signet.store.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Switches a set of pages to their new versions, last, so that a crash at any point leaves the old index or the new
 * one page by page:
 * <ol>
 *   <li>every new page file is written to a temp file beside its target ({@link #stage}), a new project's files to a
 *       temp directory beside its page directory, and all are fsynced in one batch;</li>
 *   <li>a journal listing every (temp, target) pair is written durably: from here on the switch is decided;</li>
 *   <li>each page's {@code index.html}, {@code index.json}, then {@code index.json.minisig} are renamed into place
 *       (a new project's directory in one rename), page after page, and the project list last, so that it never
 *       links a page that is not there;</li>
 *   <li>the directories are fsynced and the journal removed.</li>
 * </ol>
 * A crash before the journal exists leaves only temp files (removed by the next run). A crash after it is rolled
 * forward by the next run ({@link #recover}). The one window no rename order closes is between a page's
 * {@code index.json} and its signature: a reader (or a crash) there sees the new page with the old signature; the
 * edge refuses that pair and fetches both again (docs/signed-index.md, section 4), and the next run completes it.
 */
final class PageSwitch {
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final IndexLayout layout;
    private final List<Staged> staged = new ArrayList<>();

    /** {@code completes} is the project whose page is whole once this file is in place, or null. */
    private record Staged(Path temp, Path target, String completes) {
    }
    private final Set<Path> directories = new LinkedHashSet<>();
    /** A new project's page directory is built under a temp name and renamed whole: it appears with all its files. */
    private final Map<Path, Path> newDirectories = new LinkedHashMap<>();
    private final List<Path> newFiles = new ArrayList<>();

    PageSwitch(IndexLayout layout) {
        this.layout = layout;
    }

    /**
     * Writes {@code bytes} as the next version of {@code target}, to a temp file; nothing visible changes yet.
     * {@code completesPage} names the project whose page is whole once this file is switched (its last file).
     */
    void stage(Path target, byte[] bytes, String completesPage) throws IOException {
        Path dir = target.getParent();
        if (newDirectories.containsKey(dir) || !Files.isDirectory(dir)) {
            Path tempDir = newDirectories.get(dir);
            if (tempDir == null) {
                tempDir = dir.resolveSibling(IndexLayout.tempPrefix(dir.getFileName().toString())
                        + Long.toUnsignedString(RANDOM.nextLong()) + IndexLayout.TEMP_SUFFIX);
                Files.createDirectory(tempDir);
                newDirectories.put(dir, tempDir);
                newFiles.add(tempDir);
                // Only project pages get new directories; the page is whole once its directory is in place.
                staged.add(new Staged(tempDir, dir, dir.getFileName().toString()));
                directories.add(dir.getParent());
            }
            newFiles.add(Files.write(tempDir.resolve(target.getFileName()), bytes));
            return;
        }
        Path temp = DurableFiles.writeTempUnsynced(target.getParent(),
                IndexLayout.tempPrefix(target.getFileName().toString()), bytes);
        staged.add(new Staged(temp, target, completesPage));
        directories.add(target.getParent());
    }

    boolean isEmpty() {
        return staged.isEmpty();
    }

    /** Decides the switch (journal), then renames in staging order, telling {@code progress} of each whole page. */
    void commit(PublishProgress progress) throws IOException {
        if (staged.isEmpty()) {
            return;
        }
        // Every temp file, content and name, is durable before the journal points at it.
        List<Path> temps = new ArrayList<>(directories);
        temps.addAll(newFiles);
        staged.stream().map(Staged::temp).filter(temp -> !newDirectories.containsValue(temp)).forEach(temps::add);
        DurableFiles.syncAll(temps);
        StringBuilder journal = new StringBuilder();
        for (Staged file : staged) {
            journal.append(relative(file.temp())).append('\t').append(relative(file.target())).append('\n');
        }
        DurableFiles.replace(layout.journal(), journal.toString().getBytes(StandardCharsets.UTF_8));
        DurableFiles.syncDirectory(layout.root());
        for (Staged file : staged) {
            DurableFiles.publish(file.temp(), file.target());
            if (file.completes() != null) {
                progress.pageSwitched(file.completes());
            }
        }
        finish(layout, directories);
    }

    /** Removes temp files no journal refers to: a run that stopped before deciding its switch. */
    void discard() {
        for (Staged file : staged) {
            try {
                deleteTree(file.temp());
            } catch (IOException ignored) {
                // A leftover temp file is harmless and the next run's recovery removes it.
            }
        }
    }

    /**
     * Completes a switch a crashed run had decided (its journal exists), then removes temp files of runs that had not.
     * Idempotent: a pair whose temp file is gone was renamed already.
     */
    static void recover(IndexLayout layout) throws IOException {
        Path journal = layout.journal();
        Set<Path> directories = new LinkedHashSet<>();
        if (Files.exists(journal)) {
            for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab < 0) {
                    continue; // a journal is complete before it is renamed into place, so this is not ours
                }
                Path temp = layout.root().resolve(line.substring(0, tab)).normalize();
                Path target = layout.root().resolve(line.substring(tab + 1)).normalize();
                if (!temp.startsWith(layout.root()) || !target.startsWith(layout.root())) {
                    throw new IOException(journal + " names a path outside the index: " + line);
                }
                if (Files.exists(temp)) {
                    DurableFiles.publish(temp, target);
                }
                directories.add(target.getParent());
            }
        }
        removeStrayTemps(layout);
        finish(layout, directories);
    }

    private static void finish(IndexLayout layout, Set<Path> directories) throws IOException {
        DurableFiles.syncAll(directories);
        if (Files.deleteIfExists(layout.journal())) {
            DurableFiles.syncDirectory(layout.root());
        }
    }

    private static void removeStrayTemps(IndexLayout layout) throws IOException {
        List<Path> dirs = new ArrayList<>(List.of(layout.packages(), layout.simple()));
        if (Files.isDirectory(layout.simple())) {
            try (Stream<Path> projects = Files.list(layout.simple())) {
                projects.filter(Files::isDirectory).forEach(dirs::add);
            }
        }
        for (Path dir : dirs) {
            try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, ".*" + IndexLayout.TEMP_SUFFIX)) {
                for (Path temp : temps) {
                    deleteTree(temp);
                }
            } catch (NoSuchFileException absent) {
                // Nothing was ever published into this directory.
            }
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            try (Stream<Path> entries = Files.walk(path)) {
                for (Path entry : entries.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(entry);
                }
            }
        } else {
            Files.deleteIfExists(path);
        }
    }

    private String relative(Path path) {
        return layout.root().relativize(path).toString();
    }
}
