package dev.signet.publish;

import dev.signet.index.CoreMetadata;
import dev.signet.index.DistributionFile;
import dev.signet.store.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Puts one distribution into {@code packages/} (its metadata was checked before): copied while hashed (one pass), or
 * hard-linked and then hashed ({@link PublishOptions#linkInputs}), renamed into place, signed; a wheel's METADATA is
 * written beside it with its own signature. Each file's fsyncs start as soon as it is written and run beside the
 * hashing of the next files; {@link #syncCreated} waits for them all. Nothing here is listed on a page yet, so until
 * the pages switch these files are invisible to installers.
 */
final class FilePublisher {

    private static final Logger LOG = LoggerFactory.getLogger(FilePublisher.class);

    private final AtomicBoolean linkFallbackLogged = new AtomicBoolean();

    private final IndexLayout layout;
    private final PublishOptions options;
    private final String uploadTime;
    private final PublishTimings timings;
    /** Every path this run created, so a failed run can remove them all. */
    private final List<Path> created = new CopyOnWriteArrayList<>();
    /**
     * fsyncs of finished files, started while other files are still hashed: an fsync mostly waits for the disk, and
     * concurrent ones share journal commits, so they cost little wall time beside CPU-bound hashing.
     */
    private final ExecutorService syncs = Executors.newFixedThreadPool(SYNC_THREADS, task -> {
        Thread thread = new Thread(task, "signet-publish-fsync");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Future<?>> pendingSyncs = new CopyOnWriteArrayList<>();
    private static final int SYNC_THREADS = 16;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    FilePublisher(IndexLayout layout, PublishOptions options, String uploadTime, PublishTimings timings) {
        this.layout = layout;
        this.options = options;
        this.uploadTime = uploadTime;
        this.timings = timings;
    }

    /** A distribution to publish: where it is now and what its name says. */
    record Input(Path source, DistributionName name) {
    }

    /** {@code metadata} was read and checked from the same file already (present for wheels). */
    DistributionFile publish(Input input, Optional<WheelMetadata> metadata) throws IOException {
        String fileName = input.name().fileName();
        Path target = layout.file(fileName);
        long start = System.nanoTime();
        Path temp = options.linkInputs() ? link(input.source(), fileName) : null;
        FileDigests fileDigests;
        if (temp != null) {
            start = timings.worker("link", start);
            try {
                // The linked file, not the input path: what is hashed is exactly what is published.
                fileDigests = FileCopy.hash(temp);
            } catch (IOException | RuntimeException | Error e) {
                Files.deleteIfExists(temp);
                throw e;
            }
            start = timings.worker("hash", start);
        } else {
            FileCopy.Copied copy = FileCopy.copy(input.source(), layout.packages(), fileName);
            temp = copy.temp();
            fileDigests = copy.digests();
            start = timings.worker("copy and hash", start);
        }
        created.add(target);
        DurableFiles.publish(temp, target);
        startSync(target);
        start = timings.worker("rename", start);
        writeSignature(target, fileName, fileDigests);
        start = timings.worker("sign", start);

        CoreMetadata coreMetadata = null;
        if (metadata.isPresent() && options.withMetadata()) {
            String metadataName = fileName + IndexLayout.METADATA_SUFFIX;
            Path metadataFile = layout.file(metadataName);
            byte[] bytes = metadata.get().bytes();
            created.add(metadataFile);
            write(metadataFile, bytes);
            startSync(metadataFile);
            FileDigests digests = FileCopy.digestsOf(bytes);
            writeSignature(metadataFile, metadataName, digests);
            coreMetadata = new CoreMetadata(Map.of("sha256", digests.sha256Hex()));
            timings.worker("metadata file", start);
        }
        options.progress().fileDone(fileName, fileDigests.size());
        return new DistributionFile(fileName, PublishedIndex.BASE.resolve("packages/" + fileName),
                Map.of("sha256", fileDigests.sha256Hex()),
                metadata.flatMap(WheelMetadata::requiresPython).orElse(null), null, coreMetadata,
                fileDigests.size(), uploadTime, null);
    }

    private void writeSignature(Path file, String fileName, FileDigests digests) throws IOException {
        byte[] signature = options.fileSigner().sign(file, fileName, digests);
        if (signature == null || signature.length == 0) {
            throw new IOException("signer returned no signature for " + fileName);
        }
        Path signatureFile = file.resolveSibling(fileName + IndexLayout.SIGNATURE_SUFFIX);
        created.add(signatureFile);
        write(signatureFile, signature);
        startSync(signatureFile);
    }

    /**
     * A hard link to {@code source} under a temp name in {@code packages/}, or null where none can be made (another
     * filesystem, links refused): the caller copies instead.
     */
    private Path link(Path source, String fileName) {
        Path temp = layout.packages().resolve(IndexLayout.tempPrefix(fileName)
                + Long.toUnsignedString(RANDOM.nextLong()) + IndexLayout.TEMP_SUFFIX);
        try {
            return Files.createLink(temp, source);
        } catch (IOException | UnsupportedOperationException e) {
            // Said once per run, so that --link falling back to copies (another filesystem) is never silent.
            if (linkFallbackLogged.compareAndSet(false, true)) {
                LOG.warn("--link: cannot hard-link {} into {} ({}); copying it and any other file that cannot be linked",
                        source, layout.packages(), e.toString());
            } else {
                LOG.debug("--link: copying {} ({})", source, e.toString());
            }
            return null;
        }
    }

    private void startSync(Path path) {
        pendingSyncs.add(syncs.submit(() -> {
            DurableFiles.sync(path);
            return null;
        }));
    }

    /** Atomically, not yet durably: {@link #syncCreated} makes every file of the run durable in one batch. */
    private static void write(Path target, byte[] bytes) throws IOException {
        DurableFiles.publish(DurableFiles.writeTempUnsynced(target.getParent(),
                IndexLayout.tempPrefix(target.getFileName().toString()), bytes), target);
    }

    /**
     * Waits until every file this run created is fsynced, then fsyncs the directory holding them (the renames); call
     * before any page that lists them is switched.
     */
    void syncCreated() throws IOException {
        try {
            for (Future<?> sync : pendingSyncs) {
                sync.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("fsync failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while syncing published files");
        } finally {
            syncs.shutdownNow();
        }
        DurableFiles.syncDirectory(layout.packages());
    }

    /** Removes everything this run put into packages/ (none of it is listed on any page). */
    void discardCreated(Throwable cause) {
        syncs.shutdownNow();
        for (Path path : created) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
    }
}
