package dev.signet.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Between the HTTP codec and the router: turns each decoded request head into one {@link FullHttpRequest}, refuses
 * the heads Signet does not accept ({@link RequestHeadRules}, the codec's own failures, a head that takes longer than
 * the head timeout), and hands requests on one per {@code read()}, so with AUTO_READ off the router sees the next
 * request only after it asked for it (after the previous response was written).
 *
 * <p>A {@code read()} stays wanted until a request is handed on, however many read cycles that takes: a head split
 * over several TCP segments, or a TLS handshake before it. Netty's FlowControlHandler (4.2.15 and later) counts a read
 * cycle that completed no message as the answer to a {@code read()}, so a head that arrived in two reads was decoded
 * and then queued there forever (netty/netty#17050); this handler replaces it and HttpObjectAggregator (requests here
 * carry no content, so there is nothing to aggregate).
 *
 * <p>Once a head is refused, nothing after it on the connection is handed on: the refusal is answered, then the
 * connection is closed.
 */
final class RequestGate extends ChannelDuplexHandler {

    /** What a request that never came is logged as, like Netty's own undecodable requests. */
    private static final String NO_REQUEST_URI = "/bad-request";

    private final int maxHeaders;
    private final long headTimeoutNanos;

    /** Decoded requests not yet asked for (pipelined); at most what one read brought in. */
    private final ArrayDeque<FullHttpRequest> queue = new ArrayDeque<>(2);

    /** A {@code read()} came from the router and no request was handed on since. */
    private boolean wanted;
    /** Inside {@link #handOn}: a {@code read()} now (a response written at once) is served by its loop, not recursively. */
    private boolean handingOn;
    /**
     * A request was handed on since the last read cycle ended (in this one, or outside any, by a later read()). It
     * only holds back the head timer for one cycle, which the next cycle of a head still arriving then starts.
     */
    private boolean handedOnThisCycle;
    /** A head was refused: everything after it is dropped. */
    private boolean refused;
    private ScheduledFuture<?> headTimer;

    RequestGate(int maxHeaders, Duration headTimeout) {
        this.maxHeaders = maxHeaders;
        this.headTimeoutNanos = headTimeout.toNanos();
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        wanted = true;
        if (!handingOn) {
            handOn(ctx);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest head) || refused) {
            // Content after a head: the empty end of a request without content, or the body of a refused one.
            ReferenceCountUtil.release(msg);
            return;
        }
        queue.add(toFullRequest(head));
        if (!handingOn) {
            handOn(ctx);
        }
    }

    private FullHttpRequest toFullRequest(HttpRequest head) {
        if (head.decoderResult().isFailure()) {
            // The codec could not decode it; it discards the rest of the connection's input itself.
            refused = true;
            if (head instanceof FullHttpRequest full) {
                return full;
            }
            return withoutContent(head, head.decoderResult());
        }
        RequestRefusal refusal = RequestHeadRules.check(head, maxHeaders);
        if (refusal != null) {
            refused = true;
            return withoutContent(head, DecoderResult.failure(refusal));
        }
        return withoutContent(head, DecoderResult.SUCCESS);
    }

    private static FullHttpRequest withoutContent(HttpRequest head, DecoderResult result) {
        FullHttpRequest request = new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE);
        request.setDecoderResult(result);
        ReferenceCountUtil.release(head);
        return request;
    }

    /** Hands on queued requests while they are wanted; asks the transport for more when one is wanted and none is here. */
    private void handOn(ChannelHandlerContext ctx) {
        handingOn = true;
        try {
            FullHttpRequest next;
            while (wanted && (next = queue.poll()) != null) {
                wanted = false;
                handedOnThisCycle = true;
                cancelHeadTimer();
                ctx.fireChannelRead(next);
            }
        } finally {
            handingOn = false;
        }
        if (wanted) {
            ctx.read();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (wanted) {
            if (!handedOnThisCycle && headTimer == null && !refused) {
                // Bytes came and no request was completed: a head has begun (or, on a new TLS connection, the
                // handshake before it). In a cycle that did hand one on, the bytes may have been that request only.
                headTimer = ctx.executor().schedule(() -> headTimedOut(ctx), headTimeoutNanos, TimeUnit.NANOSECONDS);
            }
            // The read cycle ended without the wanted request: keep reading until it is complete.
            ctx.read();
        }
        handedOnThisCycle = false;
        ctx.fireChannelReadComplete();
    }

    private void headTimedOut(ChannelHandlerContext ctx) {
        headTimer = null;
        if (!wanted || refused || !ctx.channel().isActive()) {
            return;
        }
        refused = true;
        FullHttpRequest none = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, NO_REQUEST_URI,
                Unpooled.EMPTY_BUFFER);
        none.setDecoderResult(DecoderResult.failure(new RequestRefusal(HttpResponseStatus.REQUEST_TIMEOUT,
                "request head not complete within " + TimeUnit.NANOSECONDS.toMillis(headTimeoutNanos) + " ms")));
        queue.add(none);
        handOn(ctx);
    }

    private void cancelHeadTimer() {
        if (headTimer != null) {
            headTimer.cancel(false);
            headTimer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        discard();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discard();
    }

    private void discard() {
        cancelHeadTimer();
        FullHttpRequest request;
        while ((request = queue.poll()) != null) {
            ReferenceCountUtil.release(request);
        }
    }
}
