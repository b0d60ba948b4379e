package dev.signet.publish;

import dev.signet.index.DistributionFile;
import dev.signet.pages.PageComment;
import dev.signet.pages.PageRefusedException;
import dev.signet.sig.MinisignSignature;
import dev.signet.sig.SignatureFormatException;
import dev.signet.store.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signed static index of a signing origin (docs/signed-index.md, section 1), written one file and one page at a
 * time as edges ask for them, instead of from a folder in one run as {@link IndexPublisher} does. It writes with the
 * same parts: the same layout, page writer ({@link PageWriter}), page switch and signers, so an origin's tree is a
 * tree {@code signet publish --refresh} and any static server understand.
 *
 * <ul>
 *   <li>A file is published once: moved into {@code packages/} and signed, the signature written last. A file counts
 *       as published only once its signature exists, and a published file and its signature are never rewritten
 *       (downstream caches keep both for ever), across restarts too.</li>
 *   <li>A page is re-signed, with a higher serial, when its rendered bytes differ from the published ones or its
 *       signature expires within {@code refreshBefore}; otherwise the published page is returned as it is.</li>
 * </ul>
 * Blocking; called from worker threads.
 */
public final class MirrorPublisher {

    private final IndexLayout layout;
    private final PublishOptions options;
    private final PageWriter pageWriter;
    /** Pages as last read or written by this process; the files on disk change only through this class. */
    private final ConcurrentHashMap<String, MirroredPage> pages = new ConcurrentHashMap<>();

    private MirrorPublisher(IndexLayout layout, PublishOptions options) {
        this.layout = layout;
        this.options = options;
        this.pageWriter = new PageWriter(layout, options);
    }

    /** Opens (creating) the tree at {@code root}, completing a page switch a crash interrupted. */
    public static MirrorPublisher open(Path root, PublishOptions options) throws IOException {
        if (options.pageSigner().isEmpty()) {
            throw new IllegalArgumentException("a signing origin signs its pages: a page signer is required");
        }
        IndexLayout layout = new IndexLayout(root.toAbsolutePath().normalize());
        Files.createDirectories(layout.packages());
        Files.createDirectories(layout.simple());
        PageSwitch.recover(layout);
        return new MirrorPublisher(layout, options);
    }

    public Path root() {
        return layout.root();
    }

    /** Where {@code fileName} is (or would be) published. */
    public Path file(String fileName) {
        return layout.file(checkedName(fileName));
    }

    /** Its signature, the file that marks it as published. */
    public Path signature(String fileName) {
        return layout.file(checkedName(fileName) + IndexLayout.SIGNATURE_SUFFIX);
    }

    /** Whether {@code fileName} was published (it and its signature are in place). */
    public boolean isPublished(String fileName) {
        return Files.isRegularFile(signature(fileName)) && Files.isRegularFile(file(fileName));
    }

    /** A temp file for a download of {@code fileName}, on the same filesystem as {@code packages/}. */
    public Path newTemp(String fileName) throws IOException {
        return Files.createTempFile(layout.packages(), IndexLayout.tempPrefix(checkedName(fileName)),
                IndexLayout.TEMP_SUFFIX);
    }

    /**
     * Publishes a downloaded file whose bytes the caller checked ({@code digests} were computed from them): fsync,
     * rename into {@code packages/}, sign, write the signature durably. A file published already is left as it is
     * (its signature must never change) and {@code temp} is removed.
     */
    public void publishFile(String fileName, Path temp, FileDigests digests) throws IOException {
        if (isPublished(fileName)) {
            Files.deleteIfExists(temp);
            return;
        }
        Path target = file(fileName);
        try {
            DurableFiles.syncAll(List.of(temp));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        DurableFiles.publish(temp, target);
        byte[] signature = options.fileSigner().sign(target, fileName, digests);
        if (signature == null || signature.length == 0) {
            throw new IOException("signer returned no signature for " + fileName);
        }
        // The signature last: until it is in place the file is not published, and a crash before it leaves a file
        // the next download replaces.
        DurableFiles.publish(DurableFiles.writeTemp(layout.packages(),
                IndexLayout.tempPrefix(fileName + IndexLayout.SIGNATURE_SUFFIX), signature), signature(fileName));
        DurableFiles.syncDirectory(layout.packages());
    }

    /** The page published for {@code project}, if any. */
    public Optional<MirroredPage> published(String project) throws IOException, PublishException {
        MirroredPage known = pages.get(project);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<MirroredPage> read = read(project);
        read.ifPresent(page -> pages.put(project, page));
        return read;
    }

    /**
     * Publishes {@code project}'s page listing exactly {@code files} (each file name a wheel or sdist name of this
     * project), signed, unless the published page has these bytes and does not expire within {@code refreshBefore}.
     * One page at a time: the page switch has one journal per tree.
     */
    public synchronized MirroredPage page(String project, List<DistributionFile> files, Duration refreshBefore)
            throws IOException, PublishException {
        PageWriter.Rendered rendered = PageWriter.render(project, files);
        Instant now = options.clock().instant();
        MirroredPage current = published(project).orElse(null);
        boolean sameBytes = current != null && Arrays.equals(current.json(), rendered.json());
        if (sameBytes && current.comment().expiresEpochSeconds() - now.getEpochSecond() > refreshBefore.toSeconds()) {
            return current;
        }
        PageSwitch pageSwitch = new PageSwitch(layout);
        try {
            if (sameBytes) {
                pageWriter.sign(pageSwitch, project, current.json(), current.comment(), now);
            } else {
                pageWriter.stage(pageSwitch, project, rendered, current == null ? null : current.comment(), now);
            }
        } catch (IOException | RuntimeException | Error e) {
            pageSwitch.discard();
            throw e;
        }
        pageSwitch.commit(PublishProgress.NONE);
        MirroredPage written = read(project).orElseThrow(() -> new IOException("page of " + project + " vanished"));
        pages.put(project, written);
        return written;
    }

    private Optional<MirroredPage> read(String project) throws IOException, PublishException {
        byte[] json;
        byte[] signature;
        byte[] html;
        try {
            json = Files.readAllBytes(layout.json(project));
            signature = Files.readAllBytes(layout.jsonSignature(project));
            html = Files.readAllBytes(layout.html(project));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            PageComment comment = PageComment.parse(MinisignSignature.parse(signature).trustedComment(), project);
            if (!comment.project().equals(project)) {
                throw new PublishException(layout.jsonSignature(project) + ": signed for project " + comment.project());
            }
            return Optional.of(new MirroredPage(project, html, json, signature, comment));
        } catch (PageRefusedException | SignatureFormatException e) {
            throw new PublishException(layout.jsonSignature(project) + ": not a version-1 page signature: "
                    + e.getMessage(), e);
        }
    }

    /** Names come from requests and upstream pages: one path segment, nothing a temp file or the layout could use. */
    private static String checkedName(String fileName) {
        if (fileName.isEmpty() || fileName.startsWith(".") || fileName.contains("/") || fileName.contains("\\")
                || fileName.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a publishable file name: " + fileName);
        }
        return fileName;
    }
}
