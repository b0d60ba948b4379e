package dev.signet.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** TEMPORARY soak diagnosis: logs who closes a connection that has a request read and unanswered. */
final class CloseTracer extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(CloseTracer.class);
    static final boolean ON = Boolean.getBoolean("signet.trace.close");
    private int requests;
    private int responses;
    private long lastReadNanos;
    private String lastUri;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadNanos = System.nanoTime();
        if (msg instanceof HttpRequest r) {
            requests++;
            lastUri = r.uri();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse) {
            responses++;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (ctx.channel().isActive()) {
            String stack = Arrays.stream(new Throwable().getStackTrace()).skip(1).limit(14)
                    .map(StackTraceElement::toString).filter(s -> !s.startsWith("io.netty.channel.AbstractChannelHandlerContext"))
                    .collect(Collectors.joining(" < "));
            log.info("TRACECLOSE {} requests={} responses={} uri={} sinceRead={}ms by {}", ctx.channel().remoteAddress(),
                    requests, responses, lastUri, (System.nanoTime() - lastReadNanos) / 1_000_000, stack);
        }
        ctx.close(promise);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.info("TRACEEXC {} requests={} responses={} {}", ctx.channel().remoteAddress(), requests, responses, cause.toString());
        ctx.fireExceptionCaught(cause);
    }
}
