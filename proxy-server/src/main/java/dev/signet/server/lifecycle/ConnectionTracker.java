package dev.signet.server.lifecycle;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Knows whether its connection is in the middle of a request (from the request head to the write of the response's
 * last byte), so a drain closes it at the right moment and never in the middle of a transfer.
 */
public final class ConnectionTracker extends ChannelDuplexHandler {

    private final Connections connections;
    private ChannelHandlerContext ctx;
    private int inFlight;

    ConnectionTracker(Connections connections) {
        this.connections = connections;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            inFlight++;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && connections.draining()) {
            HttpUtil.setKeepAlive(response, false);
        }
        if (msg instanceof LastHttpContent) {
            promise = promise.unvoid();
            promise.addListener(f -> {
                inFlight--;
                if (connections.draining() && inFlight <= 0) {
                    ctx.close();
                }
            });
        }
        ctx.write(msg, promise);
    }

    /** On the event loop: close now if idle, else after the response in progress. */
    void drain() {
        if (ctx != null && inFlight <= 0) {
            ctx.channel().close();
        }
    }
}
