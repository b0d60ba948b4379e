package dev.signet.publish;

import dev.signet.pages.PageComment;
import dev.signet.pages.PageRefusedException;
import dev.signet.index.DistributionFile;
import dev.signet.index.IndexFormatException;
import dev.signet.index.JsonIndexParser;
import dev.signet.sig.MinisignSignature;
import dev.signet.sig.SignatureFormatException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads the index already in the output directory: the signed pages are the publisher's only state (upload times,
 * yanks, hashes and serials are all on them), so nothing is kept beside the index that could disagree with it.
 */
final class PublishedIndex {
    /** Pages are parsed against this base; only file names matter, the renderer writes relative links. */
    static final URI BASE = URI.create("https://index.invalid/");

    private final Map<String, PublishedPage> pages;
    private final Map<String, DistributionFile> filesByName;
    private final Map<String, String> projectByFile;

    private PublishedIndex(Map<String, PublishedPage> pages) {
        this.pages = pages;
        this.filesByName = new HashMap<>();
        this.projectByFile = new HashMap<>();
        pages.forEach((project, page) -> page.page().files().forEach(file -> {
            filesByName.put(file.filename(), file);
            projectByFile.put(file.filename(), project);
        }));
    }

    static PublishedIndex read(IndexLayout layout) throws IOException, PublishException {
        Map<String, PublishedPage> pages = new TreeMap<>();
        if (!Files.isDirectory(layout.simple())) {
            return new PublishedIndex(pages);
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.simple(), Files::isDirectory)) {
            for (Path dir : dirs) {
                String project = dir.getFileName().toString();
                if (project.startsWith(".")) {
                    continue;
                }
                readPage(layout, project).ifPresent(page -> pages.put(project, page));
            }
        }
        return new PublishedIndex(pages);
    }

    static Optional<PublishedPage> readPage(IndexLayout layout, String project)
            throws IOException, PublishException {
        byte[] json;
        try {
            json = Files.readAllBytes(layout.json(project));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Path signatureFile = layout.jsonSignature(project);
        PageComment comment;
        try {
            comment = PageComment.parse(MinisignSignature.parse(Files.readAllBytes(signatureFile)).trustedComment(),
                    project);
        } catch (PageRefusedException e) {
            throw new PublishException(signatureFile + ": not a version-1 page signature: " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            // An unsigned page (an index written without a page key): the next signature starts the serial.
            comment = null;
        } catch (SignatureFormatException e) {
            throw new PublishException(signatureFile + ": unreadable page signature: " + e.getMessage(), e);
        }
        if (comment != null && !comment.project().equals(project)) {
            throw new PublishException(signatureFile + ": signed for project " + comment.project());
        }
        try {
            return Optional.of(new PublishedPage(
                    JsonIndexParser.parseProject(json, BASE.resolve("simple/" + project + "/")), json, comment));
        } catch (IndexFormatException e) {
            throw new PublishException(layout.json(project) + ": unreadable page: " + e.getMessage(), e);
        }
    }

    Map<String, PublishedPage> pages() {
        return pages;
    }

    Optional<DistributionFile> file(String fileName) {
        return Optional.ofNullable(filesByName.get(fileName));
    }

    Optional<String> projectOf(String fileName) {
        return Optional.ofNullable(projectByFile.get(fileName));
    }

    Iterable<String> fileNames() {
        return filesByName.keySet();
    }
}
