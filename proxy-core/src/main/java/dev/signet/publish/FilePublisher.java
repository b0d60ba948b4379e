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

/**
 * Puts one distribution into {@code packages/} (its metadata was checked before): copied while hashed (one pass),
 * renamed into place, signed (all fsynced in one batch at the end, {@link #syncCreated}); a wheel's METADATA is written beside it with its own signature. Nothing
 * here is listed on a page yet, so until the pages switch these files are invisible to installers.
 */
final class FilePublisher {

    private final IndexLayout layout;
    private final PublishOptions options;
    private final String uploadTime;
    /** Every path this run created, so a failed run can remove them all. */
    private final List<Path> created = new CopyOnWriteArrayList<>();

    FilePublisher(IndexLayout layout, PublishOptions options, String uploadTime) {
        this.layout = layout;
        this.options = options;
        this.uploadTime = uploadTime;
    }

    /** A distribution to publish: where it is now and what its name says. */
    record Input(Path source, DistributionName name) {
    }

    /** {@code metadata} was read and checked from the same file already (present for wheels). */
    DistributionFile publish(Input input, Optional<WheelMetadata> metadata) throws IOException {
        String fileName = input.name().fileName();
        Path target = layout.file(fileName);
        FileCopy.Copied copy = FileCopy.copy(input.source(), layout.packages(), fileName);
        created.add(target);
        DurableFiles.publish(copy.temp(), target);
        writeSignature(target, fileName, copy.digests());

        CoreMetadata coreMetadata = null;
        if (metadata.isPresent() && options.withMetadata()) {
            String metadataName = fileName + IndexLayout.METADATA_SUFFIX;
            Path metadataFile = layout.file(metadataName);
            byte[] bytes = metadata.get().bytes();
            created.add(metadataFile);
            write(metadataFile, bytes);
            FileDigests digests = FileCopy.digestsOf(bytes);
            writeSignature(metadataFile, metadataName, digests);
            coreMetadata = new CoreMetadata(Map.of("sha256", digests.sha256Hex()));
        }
        options.progress().fileDone(fileName, copy.digests().size());
        return new DistributionFile(fileName, PublishedIndex.BASE.resolve("packages/" + fileName),
                Map.of("sha256", copy.digests().sha256Hex()),
                metadata.flatMap(WheelMetadata::requiresPython).orElse(null), null, coreMetadata,
                copy.digests().size(), uploadTime, null);
    }

    private void writeSignature(Path file, String fileName, FileDigests digests) throws IOException {
        byte[] signature = options.fileSigner().sign(file, fileName, digests);
        if (signature == null || signature.length == 0) {
            throw new IOException("signer returned no signature for " + fileName);
        }
        Path signatureFile = file.resolveSibling(fileName + IndexLayout.SIGNATURE_SUFFIX);
        created.add(signatureFile);
        write(signatureFile, signature);
    }

    /** Atomically, not yet durably: {@link #syncCreated} makes every file of the run durable in one batch. */
    private static void write(Path target, byte[] bytes) throws IOException {
        DurableFiles.publish(DurableFiles.writeTempUnsynced(target.getParent(),
                IndexLayout.tempPrefix(target.getFileName().toString()), bytes), target);
    }

    /** fsyncs every file this run created and the directory holding them; call before any page lists them. */
    void syncCreated() throws IOException {
        List<Path> paths = new java.util.ArrayList<>(created);
        paths.add(layout.packages());
        DurableFiles.syncAll(paths);
    }

    /** Removes everything this run put into packages/ (none of it is listed on any page). */
    void discardCreated(Throwable cause) {
        for (Path path : created) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
    }
}
