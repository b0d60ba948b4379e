package dev.signet.server.index;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.signet.index.HtmlIndexParser;
import dev.signet.index.IndexFormatException;
import dev.signet.index.JsonIndexParser;
import dev.signet.index.ProjectList;
import dev.signet.index.ProjectPage;
import dev.signet.server.upstream.UpstreamClient;
import dev.signet.server.upstream.UpstreamException;
import dev.signet.server.upstream.UpstreamResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Index pages from the upstream, parsed once and kept in memory for a TTL. Concurrent requests for one page share one
 * upstream fetch (see {@link SingleFlightCache}); a failed load is not cached, so the next request tries
 * again. Parsing runs on the worker pool: a large page is real CPU work.
 */
public final class IndexService {

    /** PEP 691: ask for JSON, accept HTML. */
    static final String UPSTREAM_ACCEPT =
            "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

    private final UpstreamClient client;
    private final URI simpleUrl;
    private final Executor workers;
    private final int maxPageBytes;
    private final SingleFlightCache<ProjectPage> pages;
    private final SingleFlightCache<ProjectList> roots;

    public IndexService(UpstreamClient client, URI simpleUrl, Executor workers, Duration ttl, Ticker ticker, int maxPageBytes) {
        this.client = client;
        this.simpleUrl = simpleUrl.toString().endsWith("/") ? simpleUrl : URI.create(simpleUrl + "/");
        this.workers = workers;
        this.maxPageBytes = maxPageBytes;
        this.pages = new SingleFlightCache<>(ttl, 10_000, ticker);
        this.roots = new SingleFlightCache<>(ttl, 1, ticker);
    }

    public URI simpleUrl() {
        return simpleUrl;
    }

    /** The parsed page of a project by its normalized name; fails with {@link ProjectNotFoundException} on 404/410. */
    public CompletableFuture<ProjectPage> project(String normalizedName) {
        return pages.get(normalizedName, this::load);
    }

    /** Forgets the cached page of one project (normalized name); the next request fetches it again. */
    public void purge(String normalizedName) {
        pages.invalidate(normalizedName);
    }

    /** Forgets every cached page and the project list. */
    public void purgeAll() {
        pages.invalidateAll();
        roots.invalidateAll();
    }

    public CompletableFuture<ProjectList> root() {
        return roots.get("", ignored -> loadRoot());
    }

    private CompletableFuture<ProjectPage> load(String name) {
        URI url = simpleUrl.resolve(name + "/");
        return fetch(url).thenApplyAsync(response -> {
            try {
                if (isJson(response)) {
                    return JsonIndexParser.parseProject(response.body(), url);
                }
                return HtmlIndexParser.parseProject(new String(response.body(), charset(response)), url, name);
            } catch (IndexFormatException e) {
                throw new CompletionException(new UpstreamException(UpstreamException.Kind.PROTOCOL,
                        "upstream page " + UpstreamClient.redacted(url) + " is not a valid index page: " + e.getMessage(), e));
            }
        }, workers);
    }

    private CompletableFuture<ProjectList> loadRoot() {
        return fetch(simpleUrl).thenApplyAsync(response -> {
            try {
                if (isJson(response)) {
                    return JsonIndexParser.parseRoot(response.body());
                }
                return HtmlIndexParser.parseRoot(new String(response.body(), charset(response)));
            } catch (IndexFormatException e) {
                throw new CompletionException(new UpstreamException(UpstreamException.Kind.PROTOCOL,
                        "upstream index " + UpstreamClient.redacted(simpleUrl) + " is not a valid index page: " + e.getMessage(), e));
            }
        }, workers);
    }

    private CompletableFuture<UpstreamResponse> fetch(URI url) {
        return client.fetch(url, Map.of(HttpHeaderNames.ACCEPT.toString(), UPSTREAM_ACCEPT), maxPageBytes, null)
                .thenApply(response -> {
                    int status = response.status();
                    if (status == 404 || status == 410) {
                        throw new CompletionException(new ProjectNotFoundException(
                                "not found upstream: " + UpstreamClient.redacted(url)));
                    }
                    if (status != 200) {
                        throw new CompletionException(UpstreamException.status(status, UpstreamClient.redacted(url)));
                    }
                    return response;
                });
    }

    private static boolean isJson(UpstreamResponse response) {
        String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        return type.toLowerCase(Locale.ROOT).contains("json");
    }

    private static Charset charset(UpstreamResponse response) {
        String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
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
