package dev.signet.server.admin;

import dev.signet.server.http.RequestHeads;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener's one handler: checks the bearer token where one is needed, then runs the route on a worker
 * (scrapes, readiness checks and purges touch the disk or take CPU) and writes the answer back on the event loop.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

    private final AdminRoutes routes;
    private final byte[] token;
    private final boolean openProbes;
    private final Executor workers;

    AdminHandler(AdminRoutes routes, String tokenOrNull, boolean openProbes, Executor workers) {
        this.routes = routes;
        this.token = tokenOrNull == null ? null : tokenOrNull.getBytes(StandardCharsets.UTF_8);
        this.openProbes = openProbes;
        this.workers = workers;
    }

    /** One request at a time (AUTO_READ off): the first now, each next one once the previous answer is written. */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpMethod method = request.method();
        HttpResponseStatus refusal = RequestHeads.refusal(request);
        if (refusal != null) {
            String reason = RequestHeads.refusalReason(request);
            log.debug("admin: refused a request from {}: {}", ctx.channel().remoteAddress(), reason);
            respond(ctx, method, AdminRoutes.Answer.text(refusal, reason), false, true);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String path = request.uri().split("\\?", 2)[0];
        String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        boolean needsToken = (AdminRoutes.isStateChanging(path) && !isLocalPagePurge(ctx, request, path))
                || (AdminRoutes.isProbe(path) && !openProbes);
        if (needsToken && !authorized(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            log.warn("admin: refused {} {} from {}: missing or wrong bearer token", method, path, ctx.channel().remoteAddress());
            AdminRoutes.Answer refused = AdminRoutes.Answer.text(HttpResponseStatus.UNAUTHORIZED, token == null
                    ? "unauthorized: no admin-token is configured, so this call is disabled"
                    : "unauthorized: send Authorization: Bearer <admin-token>");
            respond(ctx, method, refused, keepAlive, false);
            return;
        }
        CompletableFuture.supplyAsync(() -> {
            try {
                return routes.answer(method, path, accept);
            } catch (Exception e) {
                log.warn("admin: {} {} failed: {}", method, path, e.toString());
                return AdminRoutes.Answer.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "failed: " + e.getClass().getSimpleName());
            }
        }, workers).thenAcceptAsync(answer -> respond(ctx, method, answer, keepAlive, false), ctx.executor());
    }

    /**
     * {@code POST /purge/page/P} from this machine needs no token: an operator who fixed the upstream clears a
     * remembered 404 (or a stale page) with {@code curl -X POST http://127.0.0.1:9901/purge/page/P}. It can only make
     * Signet fetch one page again: nothing is trusted that was not (artifacts are verified as always; signed-page serials
     * live under page-state/ and survive purges), and it never evicts an artifact, so the worst a local process can do is
     * make Signet ask the upstream more often. Only when both ends of the connection are loopback addresses (an admin
     * listener on 0.0.0.0 reached from another machine still needs the token), and never with an {@code Origin} header:
     * a browser on this machine sends one with a cross-site POST, so a web page cannot make it purge. Purging an artifact
     * or everything still needs the token.
     */
    private static boolean isLocalPagePurge(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        return request.method().equals(HttpMethod.POST) && path.startsWith("/purge/page/")
                && !request.headers().contains(HttpHeaderNames.ORIGIN)
                && isLoopback(ctx.channel().remoteAddress()) && isLoopback(ctx.channel().localAddress());
    }

    private static boolean isLoopback(java.net.SocketAddress address) {
        return address instanceof java.net.InetSocketAddress inet && inet.getAddress() != null
                && inet.getAddress().isLoopbackAddress();
    }

    private boolean authorized(String header) {
        if (token == null || header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        // Constant time: the comparison must not tell an attacker how much of the token was right.
        return MessageDigest.isEqual(given, token);
    }

    private static void respond(ChannelHandlerContext ctx, HttpMethod method, AdminRoutes.Answer answer, boolean keepAlive,
                                boolean refusal) {
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(),
                HttpMethod.HEAD.equals(method) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (answer.status() == HttpResponseStatus.UNAUTHORIZED) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"signet-admin\"");
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess()) {
                ctx.close();
            } else if (refusal) {
                RequestHeads.closeAfterRefusal(ctx);
            } else if (!keepAlive) {
                ctx.close();
            } else {
                ctx.read();
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
