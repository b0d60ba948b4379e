package dev.signet.server.http;

import dev.signet.http.FillRedirectPolicy;
import dev.signet.http.HttpDates;
import dev.signet.server.artifact.ArtifactService;
import dev.signet.server.artifact.ServableArtifact;
import dev.signet.server.policy.ServePolicy;
import dev.signet.store.ArtifactKey;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The serve path: asks {@link ArtifactService} for a verified, opened artifact and sends it zero-copy (a file region,
 * i.e. sendfile) or, behind TLS, in chunks. Range and conditional requests are answered from the verified file only;
 * a request for an uncached artifact waits for the full verified fill first (redirected to itself every few seconds
 * meanwhile, see {@link FillWait}). No Content-Encoding, ever.
 */
final class ArtifactResponder {

    private static final String IMMUTABLE = "max-age=31536000, immutable";
    static final String CACHE_STATUS = "X-Signet-Cache";

    private final ArtifactService artifacts;
    /** Whether bytes reach the socket as they are (no TLS on this listener), so a file can go by sendfile. */
    private final boolean zeroCopy;
    private final FillRedirectPolicy fillRedirects;
    private final ServePolicy policy;

    ArtifactResponder(ArtifactService artifacts, boolean zeroCopy, FillRedirectPolicy fillRedirects, ServePolicy policy) {
        this.artifacts = artifacts;
        this.zeroCopy = zeroCopy;
        this.fillRedirects = fillRedirects;
        this.policy = policy;
    }

    /**
     * The policy step first: a file it refuses is answered {@code 403} before the artifact service is asked, so
     * nothing of it is fetched, cached or sent. Its verdict is usually known (no wait, no hand-off).
     */
    void serve(HttpExchange exchange, ArtifactKey key) {
        CompletableFuture<Void> admitted = policy.admit(key);
        if (admitted.isDone() && !admitted.isCompletedExceptionally()) {
            open(exchange, key);
            return;
        }
        admitted.whenCompleteAsync((ok, refused) -> {
            if (refused == null) {
                open(exchange, key);
            } else {
                respond(exchange, null, refused);
            }
        }, exchange.ctx().executor());
    }

    private void open(HttpExchange exchange, ArtifactKey key) {
        CompletableFuture<ServableArtifact> opening = artifacts.open(key, exchange.ctx().channel().eventLoop());
        opening.whenComplete((artifact, error) -> policy.served(key, error));
        if (opening.isDone()) {
            // Answered from memory without leaving the event loop: reply now rather than through a queued task.
            opening.whenComplete((artifact, error) -> respond(exchange, artifact, error));
        } else {
            FillWait wait = FillWait.start(exchange, key, fillRedirects, artifacts.fillRegistry());
            opening.whenCompleteAsync((artifact, error) -> {
                if (wait.verdict()) {
                    respond(exchange, artifact, error);
                } else if (artifact != null) {
                    // Redirected meanwhile: the client asks again on its next hop, which is answered from the cache.
                    artifact.close();
                }
            }, exchange.ctx().executor());
        }
    }

    private void respond(HttpExchange exchange, ServableArtifact artifact, Throwable error) {
        if (!exchange.ctx().channel().isActive()) {
            if (artifact != null) {
                artifact.close();
            }
            exchange.abandon();
        } else if (error != null) {
            Failures failure = Failures.of(error);
            exchange.verifyOutcome(failure.verifyOutcome());
            exchange.sendText(failure.status(), failure.message());
        } else {
            exchange.cacheOutcome(artifact.outcome().tag());
            exchange.verifyOutcome("ok");
            send(exchange, artifact);
        }
    }

    private void send(HttpExchange exchange, ServableArtifact artifact) {
        RangedFileResponse.send(exchange, new RangedFileResponse.File() {
            @Override
            public long length() {
                return artifact.length();
            }

            @Override
            public String etag() {
                return artifact.etag();
            }

            @Override
            public Instant lastModified() {
                return artifact.lastModified();
            }

            @Override
            public void validators(HttpHeaders headers) {
                ArtifactResponder.validators(headers, artifact);
            }

            @Override
            public String contentType() {
                return ArtifactResponder.contentType(artifact.key().filename());
            }

            /** Zero-copy when the bytes go to the socket as they are; chunked reads when TLS must encrypt them. */
            @Override
            public Object body(long start, long count) {
                return artifact.body(start, count, zeroCopy);
            }

            @Override
            public void close() {
                artifact.close();
            }
        });
    }

    private static void validators(HttpHeaders headers, ServableArtifact artifact) {
        // Like Varnish's X-Cache / nginx's $upstream_cache_status: how this answer was produced (hit, miss, ...).
        headers.set(CACHE_STATUS, artifact.outcome().tag());
        headers.set(HttpHeaderNames.ETAG, artifact.etag());
        headers.set(HttpHeaderNames.LAST_MODIFIED, HttpDates.format(artifact.lastModified()));
        headers.set(HttpHeaderNames.CACHE_CONTROL, IMMUTABLE);
        headers.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
    }

    static String contentType(String filename) {
        if (filename.endsWith(".metadata")) {
            return "text/plain; charset=utf-8";
        }
        if (filename.endsWith(".whl") || filename.endsWith(".zip")) {
            return "application/zip";
        }
        if (filename.endsWith(".tar.gz") || filename.endsWith(".tgz")) {
            return "application/gzip";
        }
        return "application/octet-stream";
    }
}
