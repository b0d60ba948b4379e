package dev.signet.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.signet.index.DistributionFile;
import dev.signet.index.HtmlIndexRenderer;
import dev.signet.index.JsonIndexRenderer;
import dev.signet.index.ProjectList;
import dev.signet.index.ProjectName;
import dev.signet.index.ProjectPage;
import dev.signet.server.artifact.MetadataSignatures;
import dev.signet.server.index.IndexService;
import dev.signet.server.index.MergedPage;
import dev.signet.server.index.Page;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Pages as Signet publishes them: the merged upstream page with every file link pointing at Signet's
 * {@code /packages/} path and metadata advertised only when its signature passes the pre-check. A published page is
 * kept exactly as long as the upstream page it was built from: when {@link IndexService} hands out a new page (its TTL
 * ran out), the page is published again.
 */
final class PublishedPages {

    private record Entry(Object source, CompletableFuture<RenderedPage> page) {}

    private final IndexService index;
    private final MetadataSignatures metadata;
    private final Executor workers;
    private final Cache<String, Entry> projects = Caffeine.newBuilder().maximumSize(10_000).build();
    private final Cache<String, Entry> roots = Caffeine.newBuilder().maximumSize(1).build();

    PublishedPages(IndexService index, MetadataSignatures metadata, Executor workers) {
        this.index = index;
        this.metadata = metadata;
        this.workers = workers;
    }

    CompletableFuture<Page<RenderedPage>> project(String project) {
        return index.mergedPage(project).thenCompose(merged -> projects.asMap().compute(project,
                (key, old) -> old != null && old.source() == merged.value() && !old.page().isCompletedExceptionally()
                        ? old : new Entry(merged.value(), publish(project, merged.value()))).page()
                .thenApply(rendered -> new Page<>(rendered, merged.ageSeconds(), merged.stale())));
    }

    CompletableFuture<Page<RenderedPage>> root() {
        return index.rootPage().thenCompose(list -> roots.asMap().compute("",
                (key, old) -> old != null && old.source() == list.value() ? old : new Entry(list.value(), publishRoot(list.value()))).page()
                .thenApply(rendered -> new Page<>(rendered, list.ageSeconds(), list.stale())));
    }

    private CompletableFuture<RenderedPage> publish(String project, MergedPage merged) {
        // Offline, the metadata pre-check would have to fetch signatures upstream: advertise no metadata instead, so
        // installers read it from the (verified) artifact.
        CompletableFuture<ProjectPage> advertised = index.offline()
                ? CompletableFuture.completedFuture(withoutMetadata(merged.page()))
                : metadata.advertisable(project, merged);
        return advertised.thenApplyAsync(page -> new RenderedPage(
                () -> HtmlIndexRenderer.renderProject(page, file -> artifactPath(project, file))
                        .getBytes(StandardCharsets.UTF_8),
                () -> JsonIndexRenderer.renderProject(page, file -> artifactPath(project, file))), workers);
    }

    private static CompletableFuture<RenderedPage> publishRoot(ProjectList list) {
        return CompletableFuture.completedFuture(new RenderedPage(
                () -> HtmlIndexRenderer.renderRoot(list, name -> Route.SIMPLE + PathSegment.encode(
                        ProjectName.normalize(name)) + "/").getBytes(StandardCharsets.UTF_8),
                () -> JsonIndexRenderer.renderRoot(list)));
    }

    private static ProjectPage withoutMetadata(ProjectPage page) {
        return new ProjectPage(page.name(), page.files().stream().map(f -> f.withCoreMetadata(null)).toList(),
                page.versions(), page.apiVersion());
    }

    static String artifactPath(String project, DistributionFile file) {
        return Route.PACKAGES + project + "/" + PathSegment.encode(file.filename());
    }
}
