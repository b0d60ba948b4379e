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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a signed static index (docs/signed-index.md) into a directory, incrementally. One run reads top to bottom:
 * <ol>
 *   <li>complete a switch an earlier run had decided when it crashed, and read the index as published;</li>
 *   <li>check every input (names, clashes, files to yank) before anything is written;</li>
 *   <li>publish the new files in parallel, largest first: copy while hashing (or link, then hash), rename, sign,
 *       start its fsyncs; remove them all if any fails;</li>
 *   <li>render and sign the pages that change (new files, yanks, close to expiry), with a higher serial, on the
 *       workers while the files' fsyncs complete; stage them; wait until every new file is durable;</li>
 *   <li>switch those pages last ({@link PageSwitch}).</li>
 * </ol>
 * Published files are immutable: they are never rewritten, and neither are their signatures (caches hold them for
 * ever). This is the one index writer: {@code signet publish}, the demo and the tests' upstreams use it.
 */
public final class IndexPublisher {
    private static final Logger log = LoggerFactory.getLogger(IndexPublisher.class);

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
        PublishTimings timings = new PublishTimings();
        PageSwitch.recover(layout);
        PublishedIndex index = PublishedIndex.read(layout);
        Instant now = options.clock().instant();
        timings.step("read index");

        ExecutorService workers = Executors.newFixedThreadPool(options.threads(), task -> {
            Thread thread = new Thread(task, "signet-publish");
            thread.setDaemon(true);
            return thread;
        });
        List<DistributionFile> added;
        InputCheck.Inputs inputs;
        FilePublisher files = new FilePublisher(layout, options, UPLOAD_TIME.format(now), timings);
        Map<String, Long> serials = new TreeMap<>();
        PageSwitch pages = new PageSwitch(layout);
        int refreshed;
        try {
            List<String> problems = new ArrayList<>();
            inputs = InputCheck.check(request, index, problems);
            timings.step("check names");
            Map<FilePublisher.Input, Optional<WheelMetadata>> metadata =
                    InputCheck.inspect(inputs, index, workers, problems);
            timings.step("read metadata");
            if (!problems.isEmpty()) {
                throw PublishException.of(problems);
            }
            // Only now: refused inputs leave no trace, not even the directories of a new index.
            Files.createDirectories(layout.packages());
            Files.createDirectories(layout.simple());
            added = publishFiles(inputs, metadata, files, workers, timings);
            try {
                Map<String, List<DistributionFile>> changed = changedPages(index, added, request.yanks());
                List<String> expiring = expiring(index, changed.keySet(), request.refreshBefore(), now);
                stagePages(pages, changed, expiring, index, now, workers, serials);
                refreshed = expiring.size();
                TreeSet<String> projects = new TreeSet<>(index.pages().keySet());
                if (projects.addAll(changed.keySet()) || !Files.exists(layout.rootPage())) {
                    String root = HtmlIndexRenderer.renderRoot(new ProjectList(List.copyOf(projects), ApiVersion.V1_0),
                            project -> project + "/");
                    pages.stage(layout.rootPage(), root.getBytes(StandardCharsets.UTF_8), null);
                }
                timings.step("render, sign and stage pages");
                // The files' fsyncs ran while the pages were made; every file is durable before the switch is decided.
                files.syncCreated();
                timings.step("wait for file fsyncs");
            } catch (IOException | PublishException | RuntimeException | Error e) {
                pages.discard();
                files.discardCreated(e);
                throw e;
            }
        } finally {
            workers.shutdownNow();
        }
        // From here on a crash is completed by the next run, so the new files must stay whatever happens.
        pages.commit(options.progress());
        timings.step("switch pages");
        if (log.isDebugEnabled()) {
            log.debug("publish of {} file(s) to {}: {}", added.size(), layout.root(), timings.summary());
        }
        return new PublishResult(added, inputs.unchanged().size(), request.yanks().size(), serials, refreshed);
    }

    /**
     * Renders and signs every changed page and re-signs the expiring ones on the workers (CPU-bound), then stages
     * them here in project order (the order the switch renames them in).
     */
    private void stagePages(PageSwitch pages, Map<String, List<DistributionFile>> changed, List<String> expiring,
            PublishedIndex index, Instant now, ExecutorService workers, Map<String, Long> serials)
            throws IOException {
        Map<String, Future<PreparedPage>> prepared = new TreeMap<>();
        for (Map.Entry<String, List<DistributionFile>> page : changed.entrySet()) {
            String project = page.getKey();
            PublishedPage published = index.pages().get(project);
            prepared.put(project, workers.submit(() -> {
                PageWriter.Rendered rendered = PageWriter.render(project, page.getValue());
                return new PreparedPage(rendered, pageWriter.signatureIfSigning(project, rendered.json(),
                        published == null ? null : published.comment(), now));
            }));
        }
        Map<String, Future<PageWriter.Signature>> refreshes = new TreeMap<>();
        for (String project : expiring) {
            PublishedPage published = index.pages().get(project);
            refreshes.put(project, workers.submit(() -> pageWriter.signature(project, published.json(),
                    published.comment(), now)));
        }
        try {
            for (Map.Entry<String, Future<PreparedPage>> page : prepared.entrySet()) {
                PreparedPage ready = page.getValue().get();
                serials.put(page.getKey(), pageWriter.stage(pages, page.getKey(), ready.rendered(), ready.signature()));
            }
            for (Map.Entry<String, Future<PageWriter.Signature>> refresh : refreshes.entrySet()) {
                serials.put(refresh.getKey(), pageWriter.stageSignature(pages, refresh.getKey(), refresh.getValue().get()));
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException("rendering or signing a page failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while signing pages");
        }
    }

    /** Publishes {@code inputs.add} on the workers; removes every file of the run if one fails. */
    private List<DistributionFile> publishFiles(InputCheck.Inputs inputs, Map<FilePublisher.Input, Optional<WheelMetadata>> metadata,
            FilePublisher files, ExecutorService workers, PublishTimings timings) throws IOException, PublishException {
        options.progress().started(inputs.add().size());
        List<String> problems = new ArrayList<>();
        List<IOException> failures = new ArrayList<>();
        List<DistributionFile> added = new ArrayList<>();
        try {
            // Largest first, so that the last file to finish is a small one and no core idles at the end of the run
            // while one worker hashes a big wheel alone; results are still collected in name order.
            List<Future<DistributionFile>> results = new ArrayList<>(java.util.Collections.nCopies(inputs.add().size(), null));
            List<Integer> bySize = new ArrayList<>();
            long[] sizes = new long[inputs.add().size()];
            for (int i = 0; i < sizes.length; i++) {
                bySize.add(i);
                sizes[i] = sizeOrZero(inputs.add().get(i).source());
            }
            bySize.sort(Comparator.comparingLong((Integer i) -> sizes[i]).reversed());
            for (int i : bySize) {
                FilePublisher.Input input = inputs.add().get(i);
                results.set(i, workers.submit(() -> files.publish(input, metadata.get(input))));
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
        timings.step("publish files");
        return added;
    }

    /** A changed page rendered and signed (signature null when pages are unsigned), ready to stage. */
    private record PreparedPage(PageWriter.Rendered rendered, PageWriter.Signature signature) {
    }

    private static long sizeOrZero(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // publishing it reports the problem
        }
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
