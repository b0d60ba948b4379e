package dev.signet.publish;

import dev.signet.pages.PageComment;
import java.nio.file.Path;

/** Where everything of a signed static index lives (docs/signed-index.md, section 1). */
final class IndexLayout {
    static final String SIGNATURE_SUFFIX = ".minisig";
    static final String METADATA_SUFFIX = ".metadata";
    static final String TEMP_SUFFIX = ".part";
    /** Written only while pages are being switched; a later run completes the switch it describes. */
    static final String JOURNAL = ".signet-publish-journal";

    private final Path root;

    IndexLayout(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path packages() {
        return root.resolve("packages");
    }

    Path simple() {
        return root.resolve("simple");
    }

    Path file(String fileName) {
        return packages().resolve(fileName);
    }

    Path projectDir(String project) {
        return simple().resolve(project);
    }

    Path json(String project) {
        return projectDir(project).resolve(PageComment.FILE_NAME);
    }

    Path jsonSignature(String project) {
        return projectDir(project).resolve(PageComment.FILE_NAME + SIGNATURE_SUFFIX);
    }

    Path html(String project) {
        return projectDir(project).resolve("index.html");
    }

    Path rootPage() {
        return simple().resolve("index.html");
    }

    Path journal() {
        return root.resolve(JOURNAL);
    }

    /** Temp files start with a dot so that no listing or glob of published files picks them up. */
    static String tempPrefix(String targetName) {
        return "." + targetName + "-";
    }
}
