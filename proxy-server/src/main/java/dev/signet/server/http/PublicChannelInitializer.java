package dev.signet.server.http;

import dev.signet.server.artifact.ArtifactService;
import dev.signet.server.artifact.MetadataSignatures;
import dev.signet.server.index.IndexService;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The public listener's pipeline, in order: optional TLS, HTTP codec, request aggregation (requests carry no body;
 * anything over 16 KiB is refused), flow control (one request at a time with AUTO_READ off), chunked writes for TLS,
 * an idle timeout, and the router.
 */
public final class PublicChannelInitializer extends ChannelInitializer<SocketChannel> {

    private static final int MAX_REQUEST_BODY = 16 * 1024;

    private final SslContext tls;
    private final IndexResponder pages;
    private final ArtifactResponder artifacts;
    private final long idleSeconds;

    public PublicChannelInitializer(SslContext tlsOrNull, IndexService index, MetadataSignatures metadata,
                                    ArtifactService artifacts, Executor workers, long idleSeconds) {
        this.tls = tlsOrNull;
        this.pages = new IndexResponder(new PublishedPages(index, metadata, workers), workers);
        this.artifacts = new ArtifactResponder(artifacts);
        this.idleSeconds = idleSeconds;
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
        p.addLast("codec", new HttpServerCodec());
        p.addLast("aggregate", new HttpObjectAggregator(MAX_REQUEST_BODY));
        p.addLast("flow", new FlowControlHandler());
        p.addLast("chunked", new ChunkedWriteHandler());
        p.addLast("route", new RequestHandler(pages, artifacts));
    }
}
