package dev.signet.server.index;

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
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Fetches and parses the pages of one upstream: JSON when it offers it (PEP 691), HTML otherwise. Parsing runs on the
 * worker pool: a large page is real CPU work.
 */
final class UpstreamPages {

    /** PEP 691: ask for JSON, accept HTML. */
    static final String UPSTREAM_ACCEPT =
            "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

    private final UpstreamClient client;
    private final Origin origin;
    private final Executor workers;
    private final int maxPageBytes;

    UpstreamPages(UpstreamClient client, Origin origin, Executor workers, int maxPageBytes) {
        this.client = client;
        this.origin = origin;
        this.workers = workers;
        this.maxPageBytes = maxPageBytes;
    }

    Origin origin() {
        return origin;
    }

    CompletableFuture<ProjectPage> project(String name) {
        URI url = origin.simpleUrl().resolve(name + "/");
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

    CompletableFuture<ProjectList> root() {
        URI url = origin.simpleUrl();
        return fetch(url).thenApplyAsync(response -> {
            try {
                if (isJson(response)) {
                    return JsonIndexParser.parseRoot(response.body());
                }
                return HtmlIndexParser.parseRoot(new String(response.body(), charset(response)));
            } catch (IndexFormatException e) {
                throw new CompletionException(new UpstreamException(UpstreamException.Kind.PROTOCOL,
                        "upstream index " + UpstreamClient.redacted(url) + " is not a valid index page: " + e.getMessage(), e));
            }
        }, workers);
    }

    private CompletableFuture<UpstreamResponse> fetch(URI url) {
        Map<String, String> headers = new HashMap<>(origin.credentials().headersFor(url));
        headers.put(HttpHeaderNames.ACCEPT.toString(), UPSTREAM_ACCEPT);
        return client.fetch(url, headers, maxPageBytes, null)
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
