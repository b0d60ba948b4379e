package dev.signet.server.index;

import dev.signet.server.concurrent.Futures;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.signet.http.FreshnessPolicy;
import dev.signet.index.DistributionFile;
import dev.signet.index.ProjectList;
import dev.signet.index.ProjectName;
import dev.signet.index.ProjectPage;
import dev.signet.server.upstream.UpstreamClient;
import dev.signet.store.ArtifactStore;
import dev.signet.store.PageHistoryStore;
import dev.signet.store.PageStore;
import dev.signet.events.SignetListener;
import java.io.IOException;
import java.time.InstantSource;
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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Index pages from the upstreams, each kept fresh by its own {@link UpstreamPages} (TTL, revalidation, stale serving,
 * offline mode), and merged here.
 *
 * <p>Several upstreams: the first is the primary. A project pinned to an upstream ({@link Pins}) is read from that
 * upstream only. Any other project is read from every upstream and the files merged onto one page, as pip does with
 * {@code --extra-index-url}; a file name listed by two upstreams is taken from the earlier one. An upstream that does
 * not know the project is skipped; one that fails fails the page (a silently partial page could make the resolver
 * pick other versions), and the project is absent only when no allowed upstream knows it.
 *
 * <p>The merged page is the same instance for as long as the upstream pages it was built from are, so what is built
 * from it (rendered pages) can be reused by identity.
 */
public final class IndexService {

    /** A merge and the exact upstream page instances it was built from. */
    private record Merge<T>(List<Object> sources, T merged) {}

    private final List<UpstreamPages> upstreams;
    private final Pins pins;
    /** {@code offline: true}: no upstream is ever contacted, for pages (see {@link UpstreamPages}) or anything else. */
    private final boolean offline;
    private final Cache<String, Merge<MergedPage>> merges;
    private final long servedPagesBytes;
    private final java.time.Duration pageTtl;
    private final Cache<String, Merge<ProjectList>> rootMerges = Caffeine.newBuilder().maximumSize(1).build();

    public IndexService(UpstreamClient client, List<Origin> origins, Pins pins, Executor workers, FreshnessPolicy policy,
                        boolean offline, ArtifactStore store, InstantSource clock, int maxPageBytes, long pageCacheBytes,
                        PageFetchBudget fetchBudget, SignetListener listener) throws IOException {
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
        // Half of the page memory for the upstream pages (shared out among the upstreams), half for the pages as served.
        long perUpstream = Math.max(1, pageCacheBytes / 2 / origins.size());
        this.servedPagesBytes = Math.max(1, pageCacheBytes / 2);
        this.pageTtl = policy.ttl();
        // A merge holds on to the pages it was built from: weighed like them, so it never keeps alive what the
        // upstream caches dropped for long.
        this.merges = Caffeine.newBuilder().maximumWeight(servedPagesBytes)
                .weigher((String key, Merge<MergedPage> m) -> PageWeights.of(m.merged().page())).build();
        List<UpstreamPages> built = new ArrayList<>();
        for (Origin origin : origins) {
            // An upstream that signs its pages gets the signed-page path, with its serials kept next to the cache.
            SignedPageFetch signed = origin.pages().enabled()
                    ? new SignedPageFetch(client, origin, PageHistoryStore.of(store, origin.name()), workers, clock,
                            maxPageBytes, listener)
                    : null;
            built.add(new UpstreamPages(client, origin, workers, policy, offline, PageStore.of(store, origin.name()),
                    clock, maxPageBytes, perUpstream, fetchBudget, signed));
        }
        this.upstreams = List.copyOf(built);
        this.pins = pins;
        this.offline = offline;
    }

    /** Whether Signet runs offline: then nothing may be fetched from any upstream, artifacts and signatures included. */
    public boolean offline() {
        return offline;
    }

    /** Bytes of page memory for the pages as Signet serves them (rendered), half of {@code page-cache-size}. */
    public long servedPagesBytes() {
        return servedPagesBytes;
    }

    /** How long a page is fresh ({@code index-ttl}): what clients and caches in front of Signet are told. */
    public java.time.Duration pageTtl() {
        return pageTtl;
    }

    /** Each upstream's in-memory page cache by upstream name, for metrics only. */
    public Map<String, com.github.benmanes.caffeine.cache.Cache<String, ?>> pageCaches() {
        Map<String, com.github.benmanes.caffeine.cache.Cache<String, ?>> caches = new LinkedHashMap<>();
        upstreams.forEach(u -> caches.put(u.origin().name(), u.statistics()));
        return caches;
    }

    /** The upstreams in order, the primary first. */
    public List<Origin> origins() {
        return upstreams.stream().map(UpstreamPages::origin).toList();
    }

    /** The merged page of a project by its normalized name; fails with {@link ProjectNotFoundException} on absence. */
    public CompletableFuture<ProjectPage> project(String normalizedName) {
        return merged(normalizedName).thenApply(MergedPage::page);
    }

    /** As {@link #project} with the upstream of every file. */
    public CompletableFuture<MergedPage> merged(String normalizedName) {
        return mergedPage(normalizedName).thenApply(Page::value);
    }

    /** As {@link #merged} with the age of the oldest upstream page in it and whether any of them is served stale. */
    public CompletableFuture<Page<MergedPage>> mergedPage(String normalizedName) {
        List<UpstreamPages> allowed = allowedFor(normalizedName);
        List<CompletableFuture<Optional<Page<ProjectPage>>>> loads = new ArrayList<>();
        // Whether some upstream was asked now and said "not found" (rather than its negative cache saying so).
        AtomicBoolean askedNotFound = new AtomicBoolean();
        for (UpstreamPages upstream : allowed) {
            loads.add(upstream.projectPage(normalizedName).handle((page, error) -> {
                if (error == null) {
                    return Optional.of(page);
                }
                Throwable cause = Futures.unwrap(error);
                if (cause instanceof ProjectNotFoundException absent) {
                    if (!absent.remembered()) {
                        askedNotFound.set(true);
                    }
                    return Optional.empty();
                }
                throw Futures.wrap(cause);
            }));
        }
        return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Optional<Page<ProjectPage>>> found = loads.stream().map(CompletableFuture::join).toList();
            List<Object> sources = found.stream().map(p -> (Object) p.map(Page::value).orElse(null)).toList();
            Merge<MergedPage> merge = merges.asMap().compute(normalizedName, (key, old) -> old != null && sameInstances(old.sources(), sources)
                    ? old : new Merge<>(sources, merge(normalizedName, allowed, found, !askedNotFound.get())));
            return new Page<>(merge.merged(), oldest(found), outcome(found, askedNotFound.get()));
        });
    }

    /**
     * Non-blocking, fetches nothing: the merged page of a project as last built by {@link #mergedPage}, or null when
     * none is held. The serve path compares a cached file with it (see {@code PageListings}).
     */
    public MergedPage current(String normalizedName) {
        Merge<MergedPage> merge = merges.getIfPresent(normalizedName);
        return merge == null ? null : merge.merged();
    }

    public CompletableFuture<ProjectList> root() {
        return rootPage().thenApply(Page::value);
    }

    public CompletableFuture<Page<ProjectList>> rootPage() {
        List<CompletableFuture<Page<ProjectList>>> loads = upstreams.stream().map(UpstreamPages::rootPage).toList();
        return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Optional<Page<ProjectList>>> found = loads.stream().map(l -> Optional.of(l.join())).toList();
            List<Object> sources = found.stream().map(p -> (Object) p.get().value()).toList();
            Merge<ProjectList> merge = rootMerges.asMap().compute("", (key, old) -> old != null && sameInstances(old.sources(), sources)
                    ? old : new Merge<>(sources, mergeRoots(found)));
            return new Page<>(merge.merged(), oldest(found), outcome(found, false));
        });
    }

    /** Forgets one project's pages on every upstream; the next request fetches them again. Blocking. */
    public void purge(String normalizedName) {
        upstreams.forEach(u -> u.purge(normalizedName));
        merges.invalidate(normalizedName);
    }

    /** Forgets every page. Blocking. */
    public void purgeAll() throws IOException {
        for (UpstreamPages upstream : upstreams) {
            upstream.purgeAll();
        }
        merges.invalidateAll();
        rootMerges.invalidateAll();
    }

    private List<UpstreamPages> allowedFor(String project) {
        Optional<String> pinned = pins.upstreamOf(project);
        if (pinned.isEmpty()) {
            return upstreams;
        }
        return upstreams.stream().filter(u -> u.origin().name().equals(pinned.get())).toList();
    }

    private static boolean sameInstances(List<Object> a, List<Object> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    private static <T> long oldest(List<Optional<Page<T>>> found) {
        return found.stream().flatMap(Optional::stream).mapToLong(Page::ageSeconds).max().orElse(0);
    }

    private static <T> PageOutcome outcome(List<Optional<Page<T>>> found, boolean askedNotFound) {
        List<PageOutcome> parts = new ArrayList<>(found.stream().flatMap(Optional::stream).map(Page::outcome).toList());
        if (askedNotFound) {
            parts.add(PageOutcome.MISS);
        }
        return PageOutcome.merged(parts);
    }

    private static MergedPage merge(String name, List<UpstreamPages> allowed, List<Optional<Page<ProjectPage>>> found,
                                    boolean allRemembered) {
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
            ProjectPage page = found.get(i).get().value();
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
            throw new CompletionException(new ProjectNotFoundException("not found upstream: " + name + " (asked "
                    + String.join(", ", where) + ")", allRemembered));
        }
        if (found.stream().filter(Optional::isPresent).count() == 1) {
            return new MergedPage(first, origins);
        }
        return new MergedPage(new ProjectPage(first.name(), List.copyOf(files.values()), List.copyOf(versions),
                first.apiVersion()), origins);
    }

    private static ProjectList mergeRoots(List<Optional<Page<ProjectList>>> found) {
        if (found.size() == 1) {
            return found.get(0).get().value();
        }
        Map<String, String> byNormalized = new LinkedHashMap<>();
        for (Optional<Page<ProjectList>> page : found) {
            for (String project : page.get().value().projects()) {
                byNormalized.putIfAbsent(ProjectName.normalize(project), project);
            }
        }
        return new ProjectList(List.copyOf(byNormalized.values()), found.get(0).get().value().apiVersion());
    }
}
