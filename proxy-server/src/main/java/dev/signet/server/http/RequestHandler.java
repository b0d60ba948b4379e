package dev.signet.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts each request of the public listener (refusing malformed ones and methods other than GET and HEAD) and
 * hands it to the routes of this server's role ({@link PublicRoutes}). The channel reads one request at a
 * time: the next read is asked for by {@link HttpExchange} once the previous response is fully written.
 */
final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);

    private final PublicRoutes routes;
    private final AccessLog accessLog;
    private final KeepAliveIdle idle;

    RequestHandler(PublicRoutes routes, AccessLog accessLog, long idleMillis) {
        this.routes = routes;
        this.accessLog = accessLog;
        this.idle = new KeepAliveIdle(idleMillis);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    /** The client's address for the access log, once known. */
    private String remote;

    /** The request being answered, or the last one answered. */
    private HttpExchange current;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (remote == null) {
            // Formatting an InetSocketAddress allocates several strings; the peer of a connection never changes.
            remote = String.valueOf(ctx.channel().remoteAddress());
        }
        if (current != null && !current.isCompleted()) {
            // RequestGate hands on one request per read(), and the next read() follows a completed exchange.
            throw new IllegalStateException("a second request arrived while one was in progress");
        }
        idle.requestArrived();
        HttpExchange exchange = new HttpExchange(ctx, request, accessLog, remote);
        current = exchange;
        HttpResponseStatus refused = RequestHeads.refusal(request);
        if (refused != null) {
            String reason = RequestHeads.refusalReason(request);
            // DEBUG only: a client can cause one per connection; the access line already records the status.
            log.debug("refused a request from {}: {}", remote, reason);
            exchange.refuse(refused, reason);
            return;
        }
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            exchange.sendText(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed: only GET and HEAD");
            return;
        }
        routes.answer(exchange);
    }

    /**
     * Idle keep-alive connections are closed; a connection waiting for a long fill is not idle, nor one whose client
     * is still taking delivery of the last response from the kernel's buffers ({@link KeepAliveIdle}). A response that
     * made no progress for a whole idle period is abandoned.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idleEvent) {
            if (current == null || current.isCompleted()) {
                if (idle.shouldClose(ctx.channel())) {
                    ctx.close();
                }
            } else if (current.isSending() && !idleEvent.isFirst() && idle.stalled(ctx.channel())) {
                // The first event of a quiet spell comes one idle period after the last write call whatever the
                // transfer did since; a later one only when not one byte of the response moved in the whole period
                // before it (the timer observes the output): the client stopped reading. Like nginx's send_timeout,
                // give up on it rather than hold its connection, its open file and its buffers for ever. A request
                // still waiting for a fill is not closed.
                log.debug("closing {}: the client read nothing of its response for {} ms", remote, idle.idleMillis());
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        dev.signet.server.metrics.OutOfMemory.report(cause, "a client connection");
        log.debug("client connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
