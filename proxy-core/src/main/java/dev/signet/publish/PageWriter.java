package dev.signet.publish;

import dev.signet.index.ApiVersion;
import dev.signet.index.DistributionFile;
import dev.signet.index.HtmlIndexRenderer;
import dev.signet.index.JsonIndexRenderer;
import dev.signet.index.ProjectPage;
import dev.signet.pages.PageComment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Renders a project page in both forms (HTML and the signed JSON, file links relative to {@code packages/}) and
 * signs it with the next serial: the one page writer of {@code signet publish} ({@link IndexPublisher}) and of a
 * signing origin ({@link MirrorPublisher}). Staged into a {@link PageSwitch}; nothing is visible until it commits.
 */
final class PageWriter {

    /** A page as rendered: both forms' exact bytes. */
    record Rendered(byte[] html, byte[] json) {
    }

    private final IndexLayout layout;
    private final PublishOptions options;

    PageWriter(IndexLayout layout, PublishOptions options) {
        this.layout = layout;
        this.options = options;
    }

    static Rendered render(String project, List<DistributionFile> files) {
        LinkedHashSet<String> versions = new LinkedHashSet<>();
        for (DistributionFile file : files) {
            versions.add(versionOf(file.filename()));
        }
        ProjectPage page = new ProjectPage(project, files, List.copyOf(versions), ApiVersion.V1_1);
        byte[] html = HtmlIndexRenderer.renderProject(page, file -> "../../packages/" + file.filename())
                .getBytes(StandardCharsets.UTF_8);
        byte[] json = JsonIndexRenderer.renderProject(page, file -> "../../packages/" + file.filename());
        return new Rendered(html, json);
    }

    /** A page signature made before it is staged (CPU only, so many pages can be signed at once). */
    record Signature(byte[] bytes, long serial) {
    }

    /** Stages both forms of a page; signs the JSON form when a page signer is configured. Returns the serial (0: unsigned). */
    long stage(PageSwitch pages, String project, Rendered rendered, PageComment previous, Instant now)
            throws IOException {
        return stage(pages, project, rendered, signatureIfSigning(project, rendered.json(), previous, now));
    }

    /** {@link #stage} with the signature made already ({@link #signatureIfSigning}); null: unsigned. */
    long stage(PageSwitch pages, String project, Rendered rendered, Signature signature) throws IOException {
        pages.stage(layout.html(project), rendered.html(), null);
        pages.stage(layout.json(project), rendered.json(), signature != null ? null : project);
        return signature == null ? 0 : stageSignature(pages, project, signature);
    }

    /** Stages a new signature for {@code json} (the published bytes, or new ones staged with it). Returns its serial. */
    long sign(PageSwitch pages, String project, byte[] json, PageComment previous, Instant now) throws IOException {
        return stageSignature(pages, project, signature(project, json, previous, now));
    }

    long stageSignature(PageSwitch pages, String project, Signature signature) throws IOException {
        pages.stage(layout.jsonSignature(project), signature.bytes(), project);
        return signature.serial();
    }

    /** The signature {@link #stage} would write, or null when no page signer is configured. */
    Signature signatureIfSigning(String project, byte[] json, PageComment previous, Instant now) {
        return options.pageSigner().isPresent() ? signature(project, json, previous, now) : null;
    }

    /** Signs {@code json} with the next serial after {@code previous}. */
    Signature signature(String project, byte[] json, PageComment previous, Instant now) {
        long epoch = now.getEpochSecond();
        // Serials grow with every signature; taking the clock as a floor keeps them growing even when an index is
        // rebuilt from scratch, so edges that saw the old index do not refuse the new one as a rollback.
        long serial = Math.max(previous == null ? 1 : Math.addExact(previous.serial(), 1), epoch);
        PageComment comment = new PageComment(project, serial, epoch + options.expires().toSeconds());
        return new Signature(options.pageSigner().orElseThrow().sign(json, comment.render(epoch)), serial);
    }

    private static String versionOf(String fileName) {
        try {
            return DistributionName.parse(fileName).version();
        } catch (PublishException e) {
            throw new IllegalStateException("a published file name no longer parses: " + fileName, e);
        }
    }
}
