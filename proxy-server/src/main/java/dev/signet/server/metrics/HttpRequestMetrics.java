package dev.signet.server.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Times every request of a public connection from its head to the write of its last byte, and counts it by route and
 * status class. Sits right after the HTTP codec, so it sees pipelined requests in order and every response part.
 * Routes are a fixed vocabulary (never the path itself).
 */
public final class HttpRequestMetrics extends ChannelDuplexHandler {

    private record Pending(long startNanos, String route) {}

    private final SignetMetrics metrics;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private int status;
    private long bytes;

    public HttpRequestMetrics(SignetMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            pending.add(new Pending(System.nanoTime(), route(request.uri())));
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            status = response.status().code();
            bytes = 0;
        }
        if (msg instanceof ByteBufHolder holder) {
            bytes += holder.content().readableBytes();
        } else if (msg instanceof ByteBuf buf) {
            bytes += buf.readableBytes();
        } else if (msg instanceof FileRegion region) {
            bytes += region.count();
        }
        if (msg instanceof LastHttpContent && !pending.isEmpty()) {
            Pending request = pending.poll();
            int code = status;
            long size = bytes;
            promise = promise.unvoid();
            promise.addListener(f -> {
                metrics.requests(request.route(), f.isSuccess() ? statusClass(code) : "aborted")
                        .record(System.nanoTime() - request.startNanos(), TimeUnit.NANOSECONDS);
                metrics.responseBytes(request.route()).record(size);
            });
        }
        ctx.write(msg, promise);
    }

    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    /** "2xx" for 204: a constant, not a string built per request. */
    static String statusClass(int code) {
        int index = code / 100 - 1;
        return index >= 0 && index < STATUS_CLASSES.length ? STATUS_CLASSES[index] : "other";
    }

    /** The public URL space in a handful of words. */
    static String route(String uri) {
        if (uri.startsWith("/packages/")) {
            return "artifact";
        }
        if (uri.equals("/simple/") || uri.startsWith("/simple/?")) {
            return "root";
        }
        if (uri.startsWith("/simple/")) {
            return "project";
        }
        return "other";
    }
}
