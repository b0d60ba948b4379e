package dev.signet.server.access;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@link AccessPolicy} to each request before it is routed: a client outside the allowed networks gets
 * {@code 403}, one without valid credentials {@code 401}, one whose password cannot be checked now because the password
 * check pool is full {@code 503} with {@code Retry-After}; always a one-line answer and the connection is closed.
 * Accepted requests continue without their {@code Authorization} header.
 */
public final class AccessControlHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(AccessControlHandler.class);

    private final AccessPolicy policy;

    public AccessControlHandler(AccessPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        if (!policy.allows(remote.getAddress())) {
            refuse(ctx, request, HttpResponseStatus.FORBIDDEN, "forbidden: clients from " + remote.getAddress().getHostAddress()
                    + " are not allowed");
            return;
        }
        if (!policy.needsCredentials()) {
            ctx.fireChannelRead(request);
            return;
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        request.headers().remove(HttpHeaderNames.AUTHORIZATION);
        policy.authenticate(authorization).whenCompleteAsync((verdict, error) -> {
            if (verdict == AccessPolicy.Verdict.ACCEPTED) {
                ctx.fireChannelRead(request);
            } else if (verdict == AccessPolicy.Verdict.BUSY) {
                // Not the client's fault and not a refusal: installers retry a 503 (pip backs off and tries again).
                refuse(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "busy: too many password checks waiting; try again");
            } else {
                refuse(ctx, request, HttpResponseStatus.UNAUTHORIZED, authorization == null
                        ? "unauthorized: credentials required" : "unauthorized: wrong user name or password");
            }
        }, ctx.executor());
    }

    private static void refuse(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String reason) {
        log.info("refused {} {}: {}", ctx.channel().remoteAddress(), request.method(), reason);
        ReferenceCountUtil.release(request);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(reason + "\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (status == HttpResponseStatus.UNAUTHORIZED) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"signet\", charset=\"UTF-8\"");
        } else if (status == HttpResponseStatus.SERVICE_UNAVAILABLE) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
