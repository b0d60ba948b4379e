package dev.signet.server.http;

import dev.signet.http.ConditionalOutcome;
import dev.signet.http.Conditionals;
import dev.signet.http.HttpDates;
import dev.signet.server.concurrent.Futures;
import dev.signet.server.origin.OriginFile;
import dev.signet.server.origin.OriginPage;
import dev.signet.server.origin.OriginRefusedException;
import dev.signet.server.origin.SigningOrigin;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.stream.ChunkedFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A signing origin's URL space: the signed-index layout (docs/signed-index.md, section 1), one fixed form per URL so
 * caches need no {@code Vary}:
 * <ul>
 *   <li>{@code /simple/} the upstream's project list as PEP 503 HTML, {@code /simple/index.json} as PEP 691 JSON
 *       (not signed, docs/signed-index.md section 6);</li>
 *   <li>{@code /simple/<project>/index.json} the signed JSON page, {@code .../index.json.minisig} its signature,
 *       {@code /simple/<project>/} the same listing as HTML (for looking at; edges read the JSON);</li>
 *   <li>{@code /packages/<file>} a distribution or {@code .metadata}, {@code /packages/<file>.minisig} its
 *       signature.</li>
 * </ul>
 * Files are immutable ({@code Cache-Control: public, max-age=31536000, immutable}, strong ETag); pages get a short
 * {@code max-age} ({@code origin.page-max-age}). Refusals and errors are {@code no-store}.
 */
final class OriginRoutes implements PublicRoutes {

    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final String SIMPLE = "/simple/";
    private static final String PACKAGES = "/packages/";
    private static final String JSON = "index.json";
    private static final String SIGNATURE = ".minisig";

    private final SigningOrigin origin;
    private final boolean zeroCopy;

    OriginRoutes(SigningOrigin origin, boolean zeroCopy) {
        this.origin = origin;
        this.zeroCopy = zeroCopy;
    }

    @Override
    public void answer(HttpExchange exchange) {
        String path = exchange.uri();
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.startsWith(PACKAGES)) {
            String name = path.substring(PACKAGES.length());
            if (name.isEmpty() || name.contains("/") || name.contains("%") || name.startsWith(".")) {
                notFound(exchange, path);
                return;
            }
            file(exchange, name);
            return;
        }
        if (path.equals(SIMPLE) || path.equals(SIMPLE + JSON)) {
            projectList(exchange, path.equals(SIMPLE + JSON));
            return;
        }
        if (path.startsWith(SIMPLE) && path.length() > SIMPLE.length()) {
            String rest = path.substring(SIMPLE.length());
            int slash = rest.indexOf('/');
            String project = slash < 0 ? rest : rest.substring(0, slash);
            String form = slash < 0 ? null : rest.substring(slash + 1);
            if (!SigningOrigin.isNormalized(project) || form == null
                    || !(form.isEmpty() || form.equals(JSON) || form.equals(JSON + SIGNATURE))) {
                notFound(exchange, path);
                return;
            }
            page(exchange, project, form);
            return;
        }
        notFound(exchange, path);
    }

    private static void notFound(HttpExchange exchange, String path) {
        exchange.sendText(HttpResponseStatus.NOT_FOUND, "no such path on this signing origin: " + Route.printable(path));
    }

    private void page(HttpExchange exchange, String project, String form) {
        OriginPage.Form which = form.isEmpty() ? OriginPage.Form.HTML
                : form.equals(JSON) ? OriginPage.Form.JSON : OriginPage.Form.SIGNATURE;
        origin.page(project, which).whenCompleteAsync((page, error) -> {
            if (error != null) {
                fail(exchange, error);
            } else {
                sendPage(exchange, page);
            }
        }, exchange.ctx().executor());
    }

    private void projectList(HttpExchange exchange, boolean json) {
        origin.projectList(json).whenCompleteAsync((page, error) -> {
            if (error != null) {
                fail(exchange, error);
            } else {
                sendPage(exchange, page);
            }
        }, exchange.ctx().executor());
    }

    private void sendPage(HttpExchange exchange, OriginPage page) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpHeaders headers = head.headers();
        headers.set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=" + origin.pageMaxAge().toSeconds());
        headers.set(HttpHeaderNames.ETAG, page.etag());
        if (notModified(exchange, head, page.etag(), null)) {
            return;
        }
        byte[] body = page.body();
        headers.set(HttpHeaderNames.CONTENT_TYPE, page.contentType());
        HttpUtil.setContentLength(head, body.length);
        exchange.cacheOutcome("origin");
        exchange.send(head, exchange.isHead() ? null : Unpooled.wrappedBuffer(body), exchange.isHead() ? 0 : body.length);
    }

    private void file(HttpExchange exchange, String name) {
        CompletableFuture<Opened> opening = origin.file(name, exchange.ctx().channel().eventLoop())
                .thenApplyAsync(OriginRoutes::open, origin.workers());
        opening.whenCompleteAsync((opened, error) -> {
            if (error != null) {
                fail(exchange, error);
            } else if (!exchange.ctx().channel().isActive()) {
                opened.close();
                exchange.abandon();
            } else {
                sendFile(exchange, opened);
            }
        }, exchange.ctx().executor());
    }

    /** A published file opened on a worker (opening is disk I/O), with its length. */
    private record Opened(OriginFile file, RandomAccessFile raf, long length) {
        void close() {
            try {
                raf.close();
            } catch (IOException ignored) {
                // Read-only; nothing to lose.
            }
        }
    }

    private static Opened open(OriginFile file) {
        try {
            RandomAccessFile raf = new RandomAccessFile(file.path().toFile(), "r");
            return new Opened(file, raf, raf.length());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Conditionals and {@code Range} as the edge answers them ({@link RangedFileResponse}): Squid, Varnish and resuming
     * clients send single ranges and {@code If-Range} with the strong ETag.
     */
    private void sendFile(HttpExchange exchange, Opened opened) {
        OriginFile file = opened.file();
        exchange.cacheOutcome("origin");
        try {
            RangedFileResponse.send(exchange, new RangedFileResponse.File() {
                @Override
                public long length() {
                    return opened.length();
                }

                @Override
                public String etag() {
                    return file.etag();
                }

                @Override
                public Instant lastModified() {
                    return file.lastModified();
                }

                @Override
                public void validators(HttpHeaders headers) {
                    headers.set(HttpHeaderNames.CACHE_CONTROL, IMMUTABLE);
                    headers.set(HttpHeaderNames.ETAG, file.etag());
                    headers.set(HttpHeaderNames.LAST_MODIFIED, HttpDates.format(file.lastModified()));
                    headers.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
                }

                @Override
                public String contentType() {
                    return file.name().endsWith(SIGNATURE) ? "application/octet-stream"
                            : ArtifactResponder.contentType(file.name());
                }

                @Override
                public Object body(long start, long count) {
                    try {
                        return zeroCopy ? new DefaultFileRegion(opened.raf().getChannel(), start, count)
                                : new ChunkedFile(opened.raf(), start, count, 64 * 1024);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public void close() {
                    opened.close();
                }
            });
        } catch (UncheckedIOException e) {
            // Nothing was sent yet (the body is made before the head goes out) and the file is closed.
            fail(exchange, e);
        }
    }

    /** Answers 304/412 when the request's conditions say so; the validators are already on {@code head}. */
    private static boolean notModified(HttpExchange exchange, HttpResponse head, String etag, Instant lastModified) {
        HttpHeaders request = exchange.requestHeaders();
        ConditionalOutcome outcome = Conditionals.evaluate(exchange.method().name(),
                request.get(HttpHeaderNames.IF_MATCH), request.get(HttpHeaderNames.IF_UNMODIFIED_SINCE),
                request.get(HttpHeaderNames.IF_NONE_MATCH), request.get(HttpHeaderNames.IF_MODIFIED_SINCE),
                etag, lastModified);
        if (outcome == ConditionalOutcome.PROCEED) {
            return false;
        }
        HttpResponse answer = new DefaultHttpResponse(HttpVersion.HTTP_1_1, outcome == ConditionalOutcome.NOT_MODIFIED
                ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.PRECONDITION_FAILED, head.headers());
        if (outcome != ConditionalOutcome.NOT_MODIFIED) {
            answer.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        }
        exchange.send(answer, null, 0);
        return true;
    }

    private static void fail(HttpExchange exchange, Throwable error) {
        if (!exchange.ctx().channel().isActive()) {
            exchange.abandon();
            return;
        }
        Throwable cause = Futures.unwrap(error);
        if (cause instanceof UncheckedIOException io) {
            cause = io.getCause();
        }
        if (cause instanceof OriginRefusedException refused) {
            exchange.verifyOutcome("origin_refused");
            exchange.sendText(HttpResponseStatus.FORBIDDEN, refused.getMessage());
            return;
        }
        Failures failure = Failures.of(cause);
        exchange.verifyOutcome(failure.verifyOutcome());
        exchange.sendText(failure.status(), failure.message());
    }

}
