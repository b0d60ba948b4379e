package dev.signet.server.http;

import dev.signet.http.FillRedirectPolicy;
import dev.signet.server.access.AccessControlHandler;
import dev.signet.server.access.AccessPolicy;
import dev.signet.server.artifact.ArtifactService;
import dev.signet.server.artifact.MetadataSignatures;
import dev.signet.server.config.OperationsConfig.AccessLogFormat;
import dev.signet.server.config.RequestHeadLimits;
import dev.signet.server.index.IndexService;
import dev.signet.server.lifecycle.Connections;
import dev.signet.server.metrics.HttpRequestMetrics;
import dev.signet.server.metrics.SignetMetrics;
import dev.signet.server.origin.SigningOrigin;
import dev.signet.server.policy.ServePolicy;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The public listener's pipeline, in order: optional TLS, an idle timeout, HTTP codec (with the request head limits),
 * connection tracking (for draining) and request metrics, the request gate (refuses what is not accepted, including
 * any request content; one request at a time with AUTO_READ off; the head timeout), chunked writes for TLS, access
 * control, and the router.
 */
public final class PublicChannelInitializer extends ChannelInitializer<SocketChannel> {

    /** The operational parts of the pipeline; metrics, connections and access may be {@code null} (not used). */
    public record Operations(SignetMetrics metrics, Connections connections, AccessPolicy access, AccessLogFormat logFormat,
                             RequestHeadLimits requestHead) {
        public static final Operations NONE = new Operations(null, null, null, AccessLogFormat.TEXT, RequestHeadLimits.DEFAULTS);
    }

    private final SslContext tls;
    private final PublicRoutes routes;
    private final long idleSeconds;
    private final Operations operations;
    private final AccessLog accessLog;

    public PublicChannelInitializer(SslContext tlsOrNull, IndexService index, MetadataSignatures metadata,
                                    ArtifactService artifacts, Executor workers, long idleSeconds, Operations operations,
                                    FillRedirectPolicy fillRedirects) {
        this(tlsOrNull, index, metadata, ServePolicy.NONE, artifacts, workers, idleSeconds, operations, fillRedirects);
    }

    /** With the serve-time policy step ({@link ServePolicy}) on pages and artifact requests. */
    public PublicChannelInitializer(SslContext tlsOrNull, IndexService index, MetadataSignatures metadata,
                                    ServePolicy policy, ArtifactService artifacts, Executor workers, long idleSeconds,
                                    Operations operations, FillRedirectPolicy fillRedirects) {
        // Plain HTTP sends file regions (sendfile); TLS must encrypt in user space, so it reads the file in chunks.
        this(tlsOrNull, new EdgeRoutes(new IndexResponder(new PublishedPages(index, metadata, policy, workers), workers,
                index.pageTtl()), new ArtifactResponder(artifacts, tlsOrNull == null, fillRedirects, policy)),
                idleSeconds, operations);
    }

    /** The public listener of a signing origin ({@code role: origin}): the same pipeline, the origin's routes. */
    public static PublicChannelInitializer forOrigin(SslContext tlsOrNull, SigningOrigin origin, long idleSeconds,
                                                     Operations operations) {
        return new PublicChannelInitializer(tlsOrNull, new OriginRoutes(origin, tlsOrNull == null), idleSeconds,
                operations);
    }

    private PublicChannelInitializer(SslContext tlsOrNull, PublicRoutes routes, long idleSeconds, Operations operations) {
        this.tls = tlsOrNull;
        this.routes = routes;
        this.idleSeconds = idleSeconds;
        this.operations = operations;
        this.accessLog = new AccessLog(operations.logFormat());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            p.addLast("tls", tls.newHandler(ch.alloc()));
        }
        // observeOutput: a slow client still draining a large file is not idle; RequestHandler closes only
        // connections with no request in progress.
        p.addLast("idle", new IdleStateHandler(true, 0, 0, idleSeconds, TimeUnit.SECONDS));
        p.addLast("codec", RequestHeads.codec(operations.requestHead()));
        if (operations.connections() != null) {
            p.addLast("connections", operations.connections().track(ch));
        }
        if (operations.metrics() != null) {
            p.addLast("metrics", new HttpRequestMetrics(operations.metrics()));
        }
        p.addLast("gate", RequestHeads.gate(operations.requestHead()));
        if (tls != null) {
            // Only TLS needs chunked file reads; plain HTTP sends a file region (sendfile) and skips this handler.
            p.addLast("chunked", new ChunkedWriteHandler());
        }
        if (operations.access() != null) {
            p.addLast("access", new AccessControlHandler(operations.access()));
        }
        p.addLast("route", new RequestHandler(routes, accessLog, TimeUnit.SECONDS.toMillis(idleSeconds)));
    }
}
