package dev.signet.publish;

import dev.signet.pages.PageComment;
import dev.signet.index.ApiVersion;
import dev.signet.index.DistributionFile;
import dev.signet.index.HtmlIndexRenderer;
import dev.signet.index.ProjectList;
import dev.signet.index.Yank;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a signed static index (docs/signed-index.md) into a directory, incrementally. One run reads top to bottom:
 * <ol>
 *   <li>complete a switch an earlier run had decided when it crashed, and read the index as published;</li>
 *   <li>check every input (names, clashes, files to yank) before anything is written;</li>
 *   <li>publish the new files in parallel: copy while hashing, rename, sign; remove them all if any fails; fsync
 *       them all in one batch;</li>
 *   <li>render and sign the pages that change (new files, yanks, close to expiry), with a higher serial;</li>
 *   <li>switch those pages last ({@link PageSwitch}).</li>
 * </ol>
 * Published files are immutable: they are never rewritten, and neither are their signatures (caches hold them for
 * ever). This is the one index writer: {@code signet publish}, the demo and the tests' upstreams use it.
 */
public final class IndexPublisher {

    /** PEP 700's upload-time form. */
    private static final DateTimeFormatter UPLOAD_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final IndexLayout layout;
    private final PublishOptions options;
    private final PageWriter pageWriter;

    public IndexPublisher(Path root, PublishOptions options) {
        this.layout = new IndexLayout(root.toAbsolutePath().normalize());
        this.options = options;
        this.pageWriter = new PageWriter(layout, options);
    }

    public PublishResult publish(PublishRequest request) throws IOException, PublishException {
        PageSwitch.recover(layout);
        PublishedIndex index = PublishedIndex.read(layout);
        Instant now = options.clock().instant();

        ExecutorService workers = Executors.newFixedThreadPool(options.threads(), task -> {
            Thread thread = new Thread(task, "signet-publish");
            thread.setDaemon(true);
            return thread;
        });
        List<DistributionFile> added;
        InputCheck.Inputs inputs;
        FilePublisher files = new FilePublisher(layout, options, UPLOAD_TIME.format(now));
        try {
            List<String> problems = new ArrayList<>();
            inputs = InputCheck.check(request, index, problems);
            Map<FilePublisher.Input, Optional<WheelMetadata>> metadata =
                    InputCheck.inspect(inputs, index, workers, problems);
            if (!problems.isEmpty()) {
                throw PublishException.of(problems);
            }
            // Only now: refused inputs leave no trace, not even the directories of a new index.
            Files.createDirectories(layout.packages());
            Files.createDirectories(layout.simple());
            added = publishFiles(inputs, metadata, files, workers);
        } finally {
            workers.shutdownNow();
        }

        Map<String, List<DistributionFile>> changed = changedPages(index, added, request.yanks());
        Map<String, Long> serials = new TreeMap<>();
        PageSwitch pages = new PageSwitch(layout);
        int refreshed;
        try {
            for (Map.Entry<String, List<DistributionFile>> page : changed.entrySet()) {
                serials.put(page.getKey(), stagePage(pages, page.getKey(), page.getValue(), index, now));
            }
            List<String> expiring = expiring(index, changed.keySet(), request.refreshBefore(), now);
            for (String project : expiring) {
                serials.put(project, stageSignature(pages, project, index.pages().get(project), now));
            }
            refreshed = expiring.size();
            TreeSet<String> projects = new TreeSet<>(index.pages().keySet());
            if (projects.addAll(changed.keySet()) || !Files.exists(layout.rootPage())) {
                String root = HtmlIndexRenderer.renderRoot(new ProjectList(List.copyOf(projects), ApiVersion.V1_0),
                        project -> project + "/");
                pages.stage(layout.rootPage(), root.getBytes(StandardCharsets.UTF_8), null);
            }
        } catch (IOException | RuntimeException | Error e) {
            pages.discard();
            files.discardCreated(e);
            throw e;
        }
        // From here on a crash is completed by the next run, so the new files must stay whatever happens.
        pages.commit(options.progress());
        return new PublishResult(added, inputs.unchanged().size(), request.yanks().size(), serials, refreshed);
    }

    /** Publishes {@code inputs.add} on the workers; removes every file of the run if one fails. */
    private List<DistributionFile> publishFiles(InputCheck.Inputs inputs, Map<FilePublisher.Input, Optional<WheelMetadata>> metadata,
            FilePublisher files, ExecutorService workers) throws IOException, PublishException {
        options.progress().started(inputs.add().size());
        List<String> problems = new ArrayList<>();
        List<IOException> failures = new ArrayList<>();
        List<DistributionFile> added = new ArrayList<>();
        try {
            List<Future<DistributionFile>> results = new ArrayList<>();
            for (FilePublisher.Input input : inputs.add()) {
                results.add(workers.submit(() -> files.publish(input, metadata.get(input))));
            }
            for (int i = 0; i < results.size(); i++) {
                try {
                    added.add(results.get(i).get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        failures.add(io);
                    } else {
                        problems.add(InputCheck.describe(inputs.add().get(i), e.getCause()));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted");
        }
        if (!failures.isEmpty()) {
            // Not the input's fault (disk, signer): the first failure as it was, the others attached to it.
            IOException failure = failures.get(0);
            failures.subList(1, failures.size()).forEach(failure::addSuppressed);
            files.discardCreated(failure);
            throw failure;
        }
        if (!problems.isEmpty()) {
            PublishException failure = PublishException.of(problems);
            files.discardCreated(failure);
            throw failure;
        }
        files.syncCreated();
        return added;
    }

    /** Projects whose file lists change, with their complete new lists (sorted by file name, so output is stable). */
    private static Map<String, List<DistributionFile>> changedPages(PublishedIndex index,
            List<DistributionFile> added, Map<String, String> yanks) throws PublishException {
        Map<String, List<DistributionFile>> changed = new TreeMap<>();
        for (DistributionFile file : added) {
            String project = DistributionName.parse(file.filename()).project();
            changed.computeIfAbsent(project, p -> existingFiles(index, p)).add(file);
        }
        for (Map.Entry<String, String> yank : yanks.entrySet()) {
            String project = index.projectOf(yank.getKey()).orElseThrow();
            List<DistributionFile> files = changed.computeIfAbsent(project, p -> existingFiles(index, p));
            files.replaceAll(file -> file.filename().equals(yank.getKey()) ? yanked(file, yank.getValue()) : file);
        }
        changed.values().forEach(files -> files.sort(Comparator.comparing(DistributionFile::filename)));
        return changed;
    }

    private static List<DistributionFile> existingFiles(PublishedIndex index, String project) {
        PublishedPage page = index.pages().get(project);
        return page == null ? new ArrayList<>() : new ArrayList<>(page.page().files());
    }

    private static DistributionFile yanked(DistributionFile file, String reason) {
        return new DistributionFile(file.filename(), file.url(), file.hashes(), file.requiresPython(),
                new Yank(reason), file.coreMetadata(), file.size(), file.uploadTime(), file.provenance());
    }

    private long stagePage(PageSwitch pages, String project, List<DistributionFile> files, PublishedIndex index,
            Instant now) throws IOException {
        PublishedPage published = index.pages().get(project);
        return pageWriter.stage(pages, project, PageWriter.render(project, files),
                published == null ? null : published.comment(), now);
    }

    private long stageSignature(PageSwitch pages, String project, PublishedPage published, Instant now)
            throws IOException {
        return pageWriter.sign(pages, project, published.json(), published.comment(), now);
    }

    private List<String> expiring(PublishedIndex index, java.util.Set<String> changed,
            Optional<Duration> refreshBefore, Instant now) {
        if (refreshBefore.isEmpty() || options.pageSigner().isEmpty()) {
            return List.of();
        }
        long threshold = now.getEpochSecond() + refreshBefore.get().toSeconds();
        List<String> expiring = new ArrayList<>();
        for (Map.Entry<String, PublishedPage> page : index.pages().entrySet()) {
            PageComment comment = page.getValue().comment();
            if (!changed.contains(page.getKey()) && (comment == null || comment.expiresEpochSeconds() <= threshold)) {
                expiring.add(page.getKey());
            }
        }
        return expiring;
    }
}
