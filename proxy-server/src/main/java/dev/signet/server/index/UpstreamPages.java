package dev.signet.server.index;

import dev.signet.pages.PageRefusedException;
import dev.signet.server.concurrent.Futures;
import dev.signet.server.config.Units;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.signet.http.FreshnessPolicy;
import dev.signet.index.HtmlIndexParser;
import dev.signet.index.IndexFormatException;
import dev.signet.index.JsonIndexParser;
import dev.signet.index.ProjectList;
import dev.signet.index.ProjectPage;
import dev.signet.server.upstream.UpstreamClient;
import dev.signet.server.upstream.UpstreamException;
import dev.signet.server.upstream.UpstreamResponse;
import dev.signet.store.PageStore;
import dev.signet.store.StoredPage;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pages of one upstream ({@link Origin}): fetched as JSON when it offers it (PEP 691), HTML otherwise; cached in
 * memory and on disk, fresh for a TTL, then revalidated with the upstream's
 * validators ({@code If-None-Match}, {@code If-Modified-Since}). When the upstream fails, a stale page is served up to
 * the configured max stale age and marked as such; a "not found" is remembered briefly and never served stale. In
 * offline mode the upstream is never contacted. Concurrent requests for one page share one upstream request; parsing
 * runs on the worker pool.
 */
final class UpstreamPages {

    private static final Logger log = LoggerFactory.getLogger(IndexService.class);

    /** PEP 691: ask for JSON, accept HTML. */
    static final String UPSTREAM_ACCEPT =
            "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

    /** Turns an upstream body into its parsed form (a project page or the project list). */
    @FunctionalInterface
    private interface Parser<T> {
        T parse(StoredPage raw, URI url) throws IndexFormatException;
    }

    private final UpstreamClient client;
    private final Origin origin;
    private final URI simpleUrl;
    private final Executor workers;
    private final int maxPageBytes;
    private final FreshnessPolicy policy;
    private final boolean offline;
    private final PageStore disk;
    private final InstantSource clock;
    private final PageFetchBudget fetchBudget;
    private final Cache<String, CachedPage<?>> memory;
    private final ConcurrentHashMap<String, CompletableFuture<CachedPage<?>>> refreshes = new ConcurrentHashMap<>();
    /** The signed-page path of this upstream's project pages, or {@code null} when it does not sign them. */
    private final SignedPageFetch signed;

    UpstreamPages(UpstreamClient client, Origin origin, Executor workers, FreshnessPolicy policy, boolean offline,
                  PageStore disk, InstantSource clock, int maxPageBytes, long cacheBytes, PageFetchBudget fetchBudget,
                  SignedPageFetch signed) {
        this.signed = signed;
        this.client = client;
        this.origin = origin;
        this.simpleUrl = origin.simpleUrl();
        this.workers = workers;
        this.policy = policy;
        this.offline = offline;
        this.disk = disk;
        this.clock = clock;
        this.maxPageBytes = maxPageBytes;
        this.fetchBudget = fetchBudget;
        // Weighed by bytes, not counted: one project page can be 40 MB (botocore), most are a few KB.
        this.memory = Caffeine.newBuilder().recordStats().maximumWeight(cacheBytes)
                .weigher((String key, CachedPage<?> page) -> PageWeights.of(page)).build();
    }

    Origin origin() {
        return origin;
    }

    /** The in-memory page cache, for metrics only. */
    Cache<String, ?> statistics() {
        return memory;
    }

    /** The parsed page of a project by its normalized name; fails with {@link ProjectNotFoundException} on 404/410. */
    CompletableFuture<Page<ProjectPage>> projectPage(String normalizedName) {
        URI url = simpleUrl.resolve(normalizedName + "/");
        return get(normalizedName, url, (raw, u) -> isJson(raw)
                ? JsonIndexParser.parseProject(raw.body(), u)
                : HtmlIndexParser.parseProject(new String(raw.body(), charset(raw)), u, normalizedName));
    }

    CompletableFuture<Page<ProjectList>> rootPage() {
        return get(PageStore.ROOT_KEY, simpleUrl, (raw, u) -> isJson(raw)
                ? JsonIndexParser.parseRoot(raw.body())
                : HtmlIndexParser.parseRoot(new String(raw.body(), charset(raw))));
    }

    /** Forgets one project's page (memory and disk); the next request fetches it again. Blocking. */
    void purge(String normalizedName) {
        memory.invalidate(normalizedName);
        disk.remove(normalizedName);
    }

    /** Forgets every page. Blocking. */
    void purgeAll() throws IOException {
        memory.invalidateAll();
        disk.removeAll();
    }

    private <T> CompletableFuture<Page<T>> get(String key, URI url, Parser<T> parser) {
        CachedPage<?> inMemory = memory.getIfPresent(key);
        CompletableFuture<CachedPage<?>> cached = inMemory != null
                ? CompletableFuture.completedFuture(inMemory)
                : CompletableFuture.supplyAsync(() -> fromDisk(key, url, parser), workers);
        return cached.thenCompose(entry -> {
            long now = clock.millis();
            FreshnessPolicy.State state = entry == null ? null : policy.of(entry.fetchedAtMillis(), now, entry.isNotFound());
            if (state == FreshnessPolicy.State.FRESH && !pastSignedExpiry(entry, now)) {
                if (entry.isNotFound()) {
                    return CompletableFuture.failedFuture(rememberedNotFound(key, entry, now, url));
                }
                return CompletableFuture.completedFuture(answer(entry, now, PageOutcome.HIT, url));
            }
            if (offline) {
                if (entry != null && !entry.isNotFound()) {
                    requireServableStale(key, entry, now);
                    return CompletableFuture.completedFuture(answer(entry, now, PageOutcome.STALE, url));
                }
                return CompletableFuture.failedFuture(new ProjectNotFoundException(
                        "not found: " + key + " is not cached and Signet runs offline"));
            }
            return refresh(key, url, entry, parser).handle((fresh, error) -> {
                if (error == null) {
                    // A 304 (or an unchanged signature) keeps the parsed page of the entry it revalidated.
                    boolean revalidated = entry != null && !entry.isNotFound() && fresh.parsed() == entry.parsed();
                    return answer(fresh, clock.millis(), revalidated ? PageOutcome.REVALIDATED : PageOutcome.MISS, url);
                }
                Throwable cause = Futures.unwrap(error);
                // A refused new page keeps the one accepted before in use (it is still signed and unexpired).
                boolean keepOld = cause instanceof UpstreamException || cause instanceof PageMemoryExhaustedException
                        || cause instanceof PageRefusedException;
                if (keepOld && entry != null && !entry.isNotFound() && state != FreshnessPolicy.State.TOO_OLD) {
                    requireServableStale(key, entry, now);
                    log.warn("serving stale page {} from {} ({} s old): {}", UpstreamClient.redacted(url), origin.name(),
                            FreshnessPolicy.ageMillis(entry.fetchedAtMillis(), now) / 1000, cause.getMessage());
                    return answer(entry, now, PageOutcome.STALE, url);
                }
                throw Futures.wrap(cause);
            });
        });
    }

    /** A signed page is not used past its signed expiry (plus skew), however fresh its fetch (invariant 9). */
    private boolean pastSignedExpiry(CachedPage<?> entry, long now) {
        return entry != null && entry.signed() != null
                && !signed.policy().usable(entry.signed().expiresEpochSeconds(), now);
    }

    /** Stale serving never outlives a signed page's expiry, unless the operator allowed it (invariant 8). */
    private void requireServableStale(String key, CachedPage<?> entry, long now) {
        if (entry.signed() != null && !signed.policy().usableStale(entry.signed().expiresEpochSeconds(), now)) {
            throw new CompletionException(new PageExpiredException("the signed page of " + key + " from "
                    + origin.name() + " expired at " + java.time.Instant.ofEpochSecond(entry.signed().expiresEpochSeconds())
                    + " and the upstream cannot be reached for a new one"));
        }
    }

    @SuppressWarnings("unchecked")
    /**
     * A 404 answered from the negative cache, not from the upstream: the log says so, how old it is and how to forget
     * it, so an operator who just fixed the upstream does not wait out negative-ttl wondering.
     */
    private ProjectNotFoundException rememberedNotFound(String key, CachedPage<?> entry, long now, URI url) {
        long ageSeconds = FreshnessPolicy.ageMillis(entry.fetchedAtMillis(), now) / 1000;
        log.info("page {}: 404 from the negative cache ({} answered not found {} s ago; remembered for negative-ttl {}; "
                        + "POST /purge/page/{} on the admin listener forgets it)", key, origin.name(), ageSeconds,
                Units.formatDuration(policy.negativeTtl()), key);
        return new ProjectNotFoundException("not found upstream: " + UpstreamClient.redacted(url) + " (remembered for "
                + ageSeconds + " s of negative-ttl " + Units.formatDuration(policy.negativeTtl()) + ")", true);
    }

    private <T> Page<T> answer(CachedPage<?> entry, long now, PageOutcome outcome, URI url) {
        if (entry.isNotFound()) {
            // A "not found" answered from the cache (not asked upstream now) is the negative cache's.
            throw new CompletionException(new ProjectNotFoundException("not found upstream: " + UpstreamClient.redacted(url),
                    outcome == PageOutcome.HIT));
        }
        return new Page<>((T) entry.parsed(), FreshnessPolicy.ageMillis(entry.fetchedAtMillis(), now) / 1000, outcome);
    }

    /** Blocking: a page kept on disk by an earlier run (or evicted from memory). */
    private <T> CachedPage<?> fromDisk(String key, URI url, Parser<T> parser) {
        if (isSigned(key)) {
            return disk.read(key).map(raw -> {
                SignedPageFetch.Outcome checked = signed.verifyStored(key, raw);
                return checked == null ? null
                        : remember(key, new CachedPage<>(raw, checked.parsed(), raw.fetchedAtMillis(), checked.comment()));
            }).orElse(null);
        }
        return disk.read(key).map(raw -> {
            try {
                CachedPage<T> entry = new CachedPage<>(raw, parser.parse(raw, url), raw.fetchedAtMillis());
                memory.put(key, entry);
                return (CachedPage<?>) entry;
            } catch (IndexFormatException e) {
                disk.remove(key);
                return null;
            }
        }).orElse(null);
    }

    /** One upstream request per key at a time; every concurrent caller gets its outcome. */
    private <T> CompletableFuture<CachedPage<?>> refresh(String key, URI url, CachedPage<?> previous, Parser<T> parser) {
        CompletableFuture<CachedPage<?>> promise = new CompletableFuture<>();
        CompletableFuture<CachedPage<?>> running = refreshes.putIfAbsent(key, promise);
        if (running != null) {
            return running;
        }
        PageBody body = new PageBody(UpstreamClient.redacted(url), maxPageBytes, fetchBudget);
        CompletableFuture<CachedPage<?>> fetched = isSigned(key)
                ? refreshSigned(key, url, previous, parser, body)
                : fetch(url, previous, body).thenApplyAsync(response -> store(key, url, previous, response, parser), workers);
        fetched.whenComplete((entry, error) -> {
                    // Parsed and stored (or failed): from here the memory cache accounts for the page.
                    body.release();
                    refreshes.remove(key, promise);
                    if (error == null) {
                        promise.complete(entry);
                    } else {
                        promise.completeExceptionally(error);
                    }
                });
        return promise;
    }

    /** Project pages of an upstream that signs them; the project list is not signed (docs/signed-index.md, 6). */
    private boolean isSigned(String key) {
        return signed != null && !PageStore.ROOT_KEY.equals(key);
    }

    private <T> CompletableFuture<CachedPage<?>> refreshSigned(String key, URI url, CachedPage<?> previous, Parser<T> parser,
                                                            PageBody body) {
        boolean previousSigned = previous != null && !previous.isNotFound() && previous.signed() != null;
        return signed.fetch(key, previousSigned ? previous.raw().signature() : null).thenCompose(outcome -> {
            long now = clock.millis();
            return switch (outcome.kind()) {
                case VERIFIED -> CompletableFuture.supplyAsync(() -> {
                    persist(key, outcome.page());
                    return remember(key, new CachedPage<>(outcome.page(), outcome.parsed(), now, outcome.comment()));
                }, workers);
                case UNCHANGED -> CompletableFuture.supplyAsync(() -> {
                    StoredPage raw = previous.raw().revalidatedAt(now);
                    persist(key, raw);
                    return remember(key, new CachedPage<>(raw, previous.parsed(), now, outcome.comment()));
                }, workers);
                case NOT_FOUND -> CompletableFuture.supplyAsync(() -> {
                    disk.remove(key);
                    return remember(key, CachedPage.notFound(now));
                }, workers);
                // Allowed unsigned (prefer, never seen signed): the ordinary page, negotiated at <project>/.
                case UNSIGNED -> fetch(url, previousSigned ? null : previous, body)
                        .thenApplyAsync(response -> store(key, url, previousSigned ? null : previous, response, parser), workers);
            };
        });
    }

    /**
     * The upstream's answer, its body collected through {@code body} (so within the page fetch budget). Streamed
     * rather than aggregated by the client, which would hold the whole page in network buffers first.
     */
    private CompletableFuture<UpstreamResponse> fetch(URI url, CachedPage<?> previous, PageBody body) {
        Map<String, String> headers = new LinkedHashMap<>(origin.credentials().headersFor(url));
        headers.put(HttpHeaderNames.ACCEPT.toString(), UPSTREAM_ACCEPT);
        if (previous != null && !previous.isNotFound()) {
            if (previous.raw().etag() != null) {
                headers.put(HttpHeaderNames.IF_NONE_MATCH.toString(), previous.raw().etag());
            }
            if (previous.raw().lastModified() != null) {
                headers.put(HttpHeaderNames.IF_MODIFIED_SINCE.toString(), previous.raw().lastModified());
            }
        }
        return client.stream(url, headers, body, null).handle((streamed, error) -> {
            if (error == null) {
                return new UpstreamResponse(200, streamed.headers(), body.bytes());
            }
            Throwable cause = Futures.unwrap(error);
            if (cause instanceof UpstreamException status && status.kind() == UpstreamException.Kind.STATUS) {
                // 304, 404, 410 and the rest: store() decides; no body is needed for any of them.
                return new UpstreamResponse(status.status(), EmptyHttpHeaders.INSTANCE, new byte[0]);
            }
            throw Futures.wrap(cause);
        });
    }

    /** Blocking (parse, disk write): turns an upstream answer into the new cache entry. */
    private <T> CachedPage<?> store(String key, URI url, CachedPage<?> previous, UpstreamResponse response, Parser<T> parser) {
        long now = clock.millis();
        int status = response.status();
        try {
            if (status == 304 && previous != null && !previous.isNotFound()) {
                StoredPage raw = previous.raw().revalidatedAt(now);
                persist(key, raw);
                return remember(key, new CachedPage<>(raw, previous.parsed(), now));
            }
            if (status == 404 || status == 410) {
                disk.remove(key);
                return remember(key, CachedPage.notFound(now));
            }
            if (status != 200) {
                throw UpstreamException.status(status, UpstreamClient.redacted(url));
            }
            StoredPage raw = new StoredPage(url.toString(),
                    response.headers().get(HttpHeaderNames.CONTENT_TYPE, ""),
                    response.headers().get(HttpHeaderNames.ETAG),
                    response.headers().get(HttpHeaderNames.LAST_MODIFIED),
                    now, response.body());
            T parsed = parser.parse(raw, url);
            persist(key, raw);
            return remember(key, new CachedPage<>(raw, parsed, now));
        } catch (IndexFormatException e) {
            throw new CompletionException(new UpstreamException(UpstreamException.Kind.PROTOCOL,
                    "upstream page " + UpstreamClient.redacted(url) + " is not a valid index page: " + e.getMessage(), e));
        } catch (UpstreamException e) {
            throw new CompletionException(e);
        }
    }

    private CachedPage<?> remember(String key, CachedPage<?> entry) {
        memory.put(key, entry);
        return entry;
    }

    private void persist(String key, StoredPage raw) {
        try {
            disk.write(key, raw);
        } catch (IOException e) {
            // Only the offline copy is lost; the page in memory is still good.
            log.warn("cannot keep page {} on disk: {}", key, e.toString());
        }
    }

    private static boolean isJson(StoredPage raw) {
        return raw.contentType().toLowerCase(Locale.ROOT).contains("json");
    }

    private static Charset charset(StoredPage raw) {
        String type = raw.contentType();
        int at = type.toLowerCase(Locale.ROOT).indexOf("charset=");
        if (at >= 0) {
            String name = type.substring(at + "charset=".length()).split(";")[0].trim().replace("\"", "");
            try {
                return Charset.forName(name);
            } catch (IllegalArgumentException e) {
                return StandardCharsets.UTF_8;
            }
        }
        return StandardCharsets.UTF_8;
    }
}
