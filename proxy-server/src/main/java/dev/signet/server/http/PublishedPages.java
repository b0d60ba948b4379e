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
import dev.signet.server.index.PageWeights;
import dev.signet.server.policy.ServePolicy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Pages as Signet publishes them: the merged upstream page with every file link pointing at Signet's
 * {@code /packages/} path and metadata advertised only when its signature passes the pre-check. A published page is
 * kept as long as the upstream page it was built from: when {@link IndexService} hands out a new page (its TTL ran
 * out), the page is published again. So is a page published before all its metadata verdicts were known, once the
 * checks it started have finished (see {@link MetadataSignatures}).
 */
final class PublishedPages {

    private record Entry(Object source, CompletableFuture<Published> page) {

        /** The source page's estimated size, three times over: the page as published and two rendered forms. */
        int weight() {
            return source instanceof MergedPage merged ? (int) Math.min(Integer.MAX_VALUE, 3L * PageWeights.of(merged.page())) : 1024;
        }

        /**
         * Whether a view of {@code source} may use this entry: same upstream page, not failed, and not waiting for
         * metadata checks that have finished since (then publishing again advertises what they found).
         */
        boolean usableFor(Object current, ServePolicy policy) {
            if (source != current || page.isCompletedExceptionally()) {
                return false;
            }
            Published published = page.getNow(null);
            // Published under other rules, or a file held back for age has come of age since: publish again.
            return published == null || (policy.stillCurrent(published.filtered())
                    && (published.settled() || !published.checks().isDone()));
        }
    }

    /**
     * A rendered page, whether its metadata and policy verdicts were all known when it was rendered, and what the
     * policy step left on it (and until when).
     */
    private record Published(RenderedPage rendered, boolean settled, CompletableFuture<Void> checks,
                             ServePolicy.FilteredPage filtered) {}

    private static final ServePolicy.FilteredPage UNFILTERED = new ServePolicy.FilteredPage(
            new ProjectPage("-", java.util.List.of(), java.util.List.of(), dev.signet.index.ApiVersion.V1_0), 0,
            Long.MAX_VALUE, true, CompletableFuture.completedFuture(null));

    private final IndexService index;
    private final MetadataSignatures metadata;
    private final ServePolicy policy;
    private final Executor workers;
    private final Cache<String, Entry> projects;
    private final Cache<String, Entry> roots = Caffeine.newBuilder().maximumSize(1).build();

    PublishedPages(IndexService index, MetadataSignatures metadata, ServePolicy policy, Executor workers) {
        this.index = index;
        this.metadata = metadata;
        this.policy = policy;
        this.workers = workers;
        // Weighed by the page's size: its rendered forms (HTML, JSON, each maybe gzipped) are built from it.
        this.projects = Caffeine.newBuilder().maximumWeight(index.servedPagesBytes())
                .weigher((String key, Entry e) -> e.weight()).build();
    }

    CompletableFuture<Page<RenderedPage>> project(String project) {
        return index.mergedPage(project).thenCompose(merged -> projects.asMap().compute(project,
                (key, old) -> old != null && old.usableFor(merged.value(), policy)
                        ? old : new Entry(merged.value(), publish(project, merged.value()))).page()
                .thenApply(published -> merged.with(published.rendered())));
    }

    CompletableFuture<Page<RenderedPage>> root() {
        return index.rootPage().thenCompose(list -> roots.asMap().compute("",
                (key, old) -> old != null && old.usableFor(list.value(), ServePolicy.NONE) ? old : new Entry(list.value(), publishRoot(list.value()))).page()
                .thenApply(published -> list.with(published.rendered())));
    }

    private CompletableFuture<Published> publish(String project, MergedPage merged) {
        // Offline, the metadata pre-check would have to fetch signatures upstream: advertise no metadata instead, so
        // installers read it from the (verified) artifact.
        CompletableFuture<MetadataSignatures.Advertised> pending = index.offline()
                ? CompletableFuture.completedFuture(new MetadataSignatures.Advertised(withoutMetadata(merged.page()),
                        true, CompletableFuture.completedFuture(null)))
                : metadata.advertisable(project, merged);
        // The policy step sees the page as advertised and leaves off what it refuses now (its own step: the upstream
        // page and the metadata verdicts are untouched, and the next view decides again).
        return pending.thenCompose(advertised -> policy.filter(project, merged, advertised.page())
                .thenApplyAsync(filtered -> new Published(new RenderedPage(
                        () -> HtmlIndexRenderer.renderProject(filtered.page(), file -> artifactPath(project, file))
                                .getBytes(StandardCharsets.UTF_8),
                        () -> JsonIndexRenderer.renderProject(filtered.page(), file -> artifactPath(project, file))),
                        advertised.settled() && filtered.settled(),
                        CompletableFuture.allOf(advertised.checks(), filtered.checks()), filtered), workers));
    }

    private static CompletableFuture<Published> publishRoot(ProjectList list) {
        return CompletableFuture.completedFuture(new Published(new RenderedPage(
                () -> HtmlIndexRenderer.renderRoot(list, name -> Route.SIMPLE + PathSegment.encode(
                        ProjectName.normalize(name)) + "/").getBytes(StandardCharsets.UTF_8),
                () -> JsonIndexRenderer.renderRoot(list)), true, CompletableFuture.completedFuture(null), UNFILTERED));
    }

    private static ProjectPage withoutMetadata(ProjectPage page) {
        return new ProjectPage(page.name(), page.files().stream().map(f -> f.withCoreMetadata(null)).toList(),
                page.versions(), page.apiVersion());
    }

    static String artifactPath(String project, DistributionFile file) {
        return Route.PACKAGES + project + "/" + PathSegment.encode(file.filename());
    }
}
