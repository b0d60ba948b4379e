package dev.signet.server.index;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.signet.index.DistributionFile;
import dev.signet.index.ProjectList;
import dev.signet.index.ProjectName;
import dev.signet.index.ProjectPage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Index pages from the upstreams, parsed, merged and kept in memory for a TTL. Concurrent requests for one page share
 * one upstream fetch per upstream (see {@link SingleFlightCache}); a failed load is not cached, so the next request
 * tries again.
 *
 * <p>Several upstreams: the first is the primary. A project pinned to an upstream ({@link Pins}) is read from that
 * upstream only. Any other project is read from every upstream and the files merged onto one page, as pip does with
 * {@code --extra-index-url}; a file name listed by two upstreams is taken from the earlier one. An upstream that does
 * not know the project is skipped; one that fails fails the page (a silently partial page could make the resolver
 * pick other versions), and the project is absent only when no allowed upstream knows it.
 */
public final class IndexService {

    private final List<UpstreamPages> upstreams;
    private final Pins pins;
    private final SingleFlightCache<MergedPage> pages;
    private final SingleFlightCache<ProjectList> roots;

    public IndexService(dev.signet.server.upstream.UpstreamClient client, List<Origin> origins, Pins pins,
                        Executor workers, Duration ttl, Ticker ticker, int maxPageBytes) {
        if (origins.isEmpty()) {
            throw new IllegalArgumentException("at least one upstream is required");
        }
        Set<String> names = new LinkedHashSet<>();
        for (Origin origin : origins) {
            if (!names.add(origin.name())) {
                throw new IllegalArgumentException("two upstreams are named " + origin.name());
            }
        }
        pins.asMap().forEach((pattern, name) -> {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("pin " + pattern + " names unknown upstream " + name + " (known: " + names + ")");
            }
        });
        this.upstreams = origins.stream().map(o -> new UpstreamPages(client, o, workers, maxPageBytes)).toList();
        this.pins = pins;
        this.pages = new SingleFlightCache<>(ttl, 10_000, ticker);
        this.roots = new SingleFlightCache<>(ttl, 1, ticker);
    }

    /** The upstreams in order, the primary first. */
    public List<Origin> origins() {
        return upstreams.stream().map(UpstreamPages::origin).toList();
    }

    /** The merged page of a project by its normalized name; fails with {@link ProjectNotFoundException} on absence. */
    public CompletableFuture<ProjectPage> project(String normalizedName) {
        return merged(normalizedName).thenApply(MergedPage::page);
    }

    /** As {@link #project} with the upstream of every file. The same instance is returned while it is cached. */
    public CompletableFuture<MergedPage> merged(String normalizedName) {
        return pages.get(normalizedName, this::load);
    }

    public CompletableFuture<ProjectList> root() {
        return roots.get("", ignored -> loadRoot());
    }

    private List<UpstreamPages> allowedFor(String project) {
        Optional<String> pinned = pins.upstreamOf(project);
        if (pinned.isEmpty()) {
            return upstreams;
        }
        return upstreams.stream().filter(u -> u.origin().name().equals(pinned.get())).toList();
    }

    private CompletableFuture<MergedPage> load(String name) {
        List<UpstreamPages> allowed = allowedFor(name);
        List<CompletableFuture<Optional<ProjectPage>>> loads = new ArrayList<>();
        for (UpstreamPages upstream : allowed) {
            loads.add(upstream.project(name).handle((page, error) -> {
                if (error == null) {
                    return Optional.of(page);
                }
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause instanceof ProjectNotFoundException) {
                    return Optional.empty();
                }
                throw error instanceof CompletionException ce ? ce : new CompletionException(cause);
            }));
        }
        return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Optional<ProjectPage>> found = loads.stream().map(CompletableFuture::join).toList();
            return merge(name, allowed, found);
        });
    }

    private static MergedPage merge(String name, List<UpstreamPages> allowed, List<Optional<ProjectPage>> found) {
        Map<String, DistributionFile> files = new LinkedHashMap<>();
        Map<String, Origin> origins = new LinkedHashMap<>();
        Set<String> versions = new LinkedHashSet<>();
        ProjectPage first = null;
        List<String> where = new ArrayList<>();
        for (int i = 0; i < allowed.size(); i++) {
            Origin origin = allowed.get(i).origin();
            where.add(origin.toString());
            if (found.get(i).isEmpty()) {
                continue;
            }
            ProjectPage page = found.get(i).get();
            if (first == null) {
                first = page;
            }
            for (DistributionFile file : page.files()) {
                if (files.putIfAbsent(file.filename(), file) == null) {
                    origins.put(file.filename(), origin);
                }
            }
            versions.addAll(page.versions());
        }
        if (first == null) {
            throw new CompletionException(new ProjectNotFoundException("not found upstream: " + name + " (asked " + String.join(", ", where) + ")"));
        }
        if (found.stream().filter(Optional::isPresent).count() == 1) {
            return new MergedPage(first, origins);
        }
        return new MergedPage(new ProjectPage(first.name(), List.copyOf(files.values()), List.copyOf(versions),
                first.apiVersion()), origins);
    }

    private CompletableFuture<ProjectList> loadRoot() {
        List<CompletableFuture<ProjectList>> loads = upstreams.stream().map(UpstreamPages::root).toList();
        return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).thenApply(done -> {
            if (loads.size() == 1) {
                return loads.get(0).join();
            }
            Map<String, String> byNormalized = new LinkedHashMap<>();
            for (CompletableFuture<ProjectList> load : loads) {
                for (String project : load.join().projects()) {
                    byNormalized.putIfAbsent(ProjectName.normalize(project), project);
                }
            }
            return new ProjectList(List.copyOf(byNormalized.values()), loads.get(0).join().apiVersion());
        });
    }
}
