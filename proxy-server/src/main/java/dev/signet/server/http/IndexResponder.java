package dev.signet.server.http;

import dev.signet.http.ConditionalOutcome;
import dev.signet.http.Conditionals;
import dev.signet.http.MediaNegotiation;
import dev.signet.http.MediaNegotiation.PageFormat;
import dev.signet.server.concurrent.Futures;
import dev.signet.server.index.Page;
import dev.signet.server.index.PageOutcome;
import dev.signet.server.index.ProjectNotFoundException;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Index pages: PEP 691 negotiation between {@code application/vnd.pypi.simple.v1+json},
 * {@code application/vnd.pypi.simple.v1+html} and {@code text/html} (or {@code ?format=}), whatever format the
 * upstream spoke; gzip when the client accepts it; a strong ETag per form with {@code 304} on {@code If-None-Match};
 * {@code Vary: Accept, Accept-Encoding} on every page answer, including {@code 304} and {@code 406}.
 */
final class IndexResponder {

    private static final String VARY = "Accept, Accept-Encoding";

    private final PublishedPages pages;
    private final Executor workers;
    private final String cacheControl;

    IndexResponder(PublishedPages pages, Executor workers, Duration indexTtl) {
        this.pages = pages;
        this.workers = workers;
        this.cacheControl = cacheControl(indexTtl);
    }

    /**
     * {@code Cache-Control} of a page: fresh for {@code index-ttl}, as Signet itself holds it. The page's {@code Age}
     * goes with it, so a cache in front of Signet (or pip's own HTTP cache) keeps it for what is left of the TTL and
     * no longer; {@code index-ttl: 0} means every view is revalidated, and so must theirs be.
     */
    static String cacheControl(Duration indexTtl) {
        long seconds = indexTtl.toSeconds();
        return seconds <= 0 ? "no-cache" : "max-age=" + seconds;
    }

    void root(HttpExchange exchange) {
        reply(exchange, pages::root);
    }

    void project(HttpExchange exchange, String project) {
        reply(exchange, () -> pages.project(project));
    }

    private void reply(HttpExchange exchange, Supplier<CompletableFuture<Page<RenderedPage>>> page) {
        HttpHeaders request = exchange.requestHeaders();
        MediaNegotiation.Outcome outcome = MediaNegotiation.negotiate(accept(request), formatParameter(exchange.uri()));
        if (outcome instanceof MediaNegotiation.Malformed malformed) {
            // Every 400 ends the connection, not only framing errors: a client that sent one malformed header may
            // have framed its next request just as badly (the pipeline fuzzer found a 400 followed by an answer).
            exchange.refuse(HttpResponseStatus.BAD_REQUEST, "bad request: " + malformed.reason());
            return;
        }
        if (outcome instanceof MediaNegotiation.NotAcceptable refused) {
            sendNotAcceptable(exchange, refused.reason());
            return;
        }
        PageFormat chosen = ((MediaNegotiation.Chosen) outcome).format();
        List<String> encodings = request.getAll(HttpHeaderNames.ACCEPT_ENCODING);
        boolean gzip = !encodings.isEmpty() && MediaNegotiation.acceptsGzip(String.join(",", encodings));
        CompletableFuture<Page<RenderedPage>> pending = page.get();
        if (pending.isDone() && !pending.isCompletedExceptionally()) {
            // The common case, a fresh page whose form was asked for before: answer now, no hand-off to a worker.
            Page<RenderedPage> rendered = pending.join();
            Representation built = rendered.value().builtForm(chosen.isJson(), gzip);
            if (built != null) {
                send(exchange, chosen, rendered.with(built), cacheControl);
                return;
            }
        }
        pending.thenApplyAsync(rendered -> rendered.with(rendered.value().form(chosen.isJson(), gzip)), workers)
                .whenCompleteAsync((form, error) -> {
                    if (!exchange.ctx().channel().isActive()) {
                        exchange.abandon();
                    } else if (error != null) {
                        if (Futures.unwrap(error) instanceof ProjectNotFoundException absent) {
                            exchange.cacheOutcome(absent.remembered() ? PageOutcome.NEGATIVE.tag() : PageOutcome.MISS.tag());
                        }
                        Failures failure = Failures.of(error);
                        exchange.sendText(failure.status(), failure.message());
                    } else {
                        send(exchange, chosen, form, cacheControl);
                    }
                }, exchange.ctx().executor());
    }

    /**
     * The {@code format} query parameter. A {@code +} stays a plus: PEP 691 writes the media types with a literal
     * {@code +} ({@code ?format=application/vnd.pypi.simple.v1+json}), which form decoding would turn into a space.
     */
    static String formatParameter(String uri) {
        int query = uri.indexOf('?');
        if (query < 0) {
            return null;
        }
        for (String pair : uri.substring(query + 1).split("&")) {
            if (pair.startsWith("format=")) {
                try {
                    return URLDecoder.decode(pair.substring("format=".length()).replace("+", "%2B"), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return pair.substring("format=".length());
                }
            }
        }
        return null;
    }

    private static String accept(HttpHeaders request) {
        List<String> all = request.getAll(HttpHeaderNames.ACCEPT);
        return all.isEmpty() ? null : String.join(",", all);
    }

    private static void send(HttpExchange exchange, PageFormat format, Page<Representation> page, String cacheControl) {
        Representation form = page.value();
        exchange.cacheOutcome(page.outcome().tag());
        HttpHeaders request = exchange.requestHeaders();
        ConditionalOutcome conditional = Conditionals.evaluate(exchange.method().name(), null, null,
                request.get(HttpHeaderNames.IF_NONE_MATCH), null, form.etag(), null);
        boolean notModified = conditional == ConditionalOutcome.NOT_MODIFIED;
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                notModified ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
                notModified ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(form.body()));
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, format.contentType());
        headers.set(HttpHeaderNames.VARY, VARY);
        headers.set(HttpHeaderNames.ETAG, form.etag());
        headers.set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
        headers.set(ArtifactResponder.CACHE_STATUS, page.outcome().tag());
        headers.set(HttpHeaderNames.AGE, page.ageSeconds());
        if (page.stale()) {
            // RFC 7234 §5.5.1 (obsoleted by RFC 9111 but still read by caches and people): the upstream could not be
            // reached to revalidate this page.
            headers.set(HttpHeaderNames.WARNING, "110 signet \"Response is Stale\"");
        }
        if (form.gzipped()) {
            headers.set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        }
        if (notModified) {
            // A 304 carries no body; its Content-Length would describe one, so it gets none (RFC 9110 §15.4.5).
            exchange.send(response, null, 0);
            return;
        }
        exchange.sendFull(response);
    }

    private static void sendNotAcceptable(HttpExchange exchange, String reason) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_ACCEPTABLE,
                Unpooled.copiedBuffer("not acceptable: " + reason + "\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers().set(HttpHeaderNames.VARY, VARY);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        exchange.sendFull(response);
    }
}
