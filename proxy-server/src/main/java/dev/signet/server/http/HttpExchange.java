package dev.signet.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One request on a client connection, from its arrival to the completion of the last write. Every response goes
 * through {@link #send}, and every exchange ends in {@link #complete}: the single place that logs the access line,
 * decides keep-alive, and asks for the next request (the channel reads one request at a time).
 */
final class HttpExchange {

    private static final AtomicLong IDS = new AtomicLong();

    private final ChannelHandlerContext ctx;
    private final AccessLog accessLog;
    private final HttpMethod method;
    private final String uri;
    private final HttpHeaders requestHeaders;
    private boolean keepAlive;
    /** A refusal: the client may still be sending, so the close lingers ({@link LingeringClose}). */
    private boolean refused;
    private final long startNanos = System.nanoTime();
    private final String requestId = Long.toString(IDS.incrementAndGet(), 36);

    private int status;
    private long bytesSent;
    private String cacheOutcome = "-";
    private String verifyOutcome = "-";
    private boolean completed;

    /** The client's address as logged, worked out once per connection by the caller. */
    private final String remote;

    HttpExchange(ChannelHandlerContext ctx, FullHttpRequest request, AccessLog accessLog, String remote) {
        this.ctx = ctx;
        this.remote = remote;
        this.accessLog = accessLog;
        this.method = request.method();
        this.uri = request.uri();
        // No copy: releasing the request (after channelRead0) frees its content buffer, never its headers.
        this.requestHeaders = request.headers();
        this.keepAlive = HttpUtil.isKeepAlive(request);
    }

    ChannelHandlerContext ctx() {
        return ctx;
    }

    HttpMethod method() {
        return method;
    }

    boolean isHead() {
        return HttpMethod.HEAD.equals(method);
    }

    String uri() {
        return uri;
    }

    HttpHeaders requestHeaders() {
        return requestHeaders;
    }

    long startNanos() {
        return startNanos;
    }

    String requestId() {
        return requestId;
    }

    int status() {
        return status;
    }

    long bytesSent() {
        return bytesSent;
    }

    String cacheOutcome() {
        return cacheOutcome;
    }

    String verifyOutcome() {
        return verifyOutcome;
    }

    String remote() {
        return remote;
    }

    boolean isCompleted() {
        return completed;
    }

    /** The response head has been written and its last byte not yet: the response is on its way to the client. */
    boolean isSending() {
        return status != 0 && !completed;
    }

    void cacheOutcome(String outcome) {
        this.cacheOutcome = outcome;
    }

    void verifyOutcome(String outcome) {
        this.verifyOutcome = outcome;
    }

    /** A one-line plain-text answer after which the connection is closed: the request's framing cannot be trusted. */
    void refuse(HttpResponseStatus status, String message) {
        keepAlive = false;
        refused = true;
        sendText(status, message);
    }

    /** A one-line plain-text answer: refusals, errors, redirects. */
    void sendText(HttpResponseStatus status, String message) {
        ByteBuf body = Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        sendFull(response);
    }

    void redirect(String location) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.MOVED_PERMANENTLY,
                Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.LOCATION, location);
        sendFull(response);
    }

    /** Sends a complete response; for HEAD the body is dropped but Content-Length still describes it. */
    void sendFull(FullHttpResponse response) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (isHead()) {
            HttpResponse head = new io.netty.handler.codec.http.DefaultHttpResponse(
                    response.protocolVersion(), response.status(), response.headers());
            response.release();
            send(head, null, 0);
        } else {
            send(response, null, response.content().readableBytes());
        }
    }

    /**
     * Sends {@code head}, then {@code body} (a buffer, file region, chunked input or {@code null}), then ends the response.
     * {@code bodyBytes} is what the body will put on the wire, for the access log. Returns the last write's future.
     */
    ChannelFuture send(HttpResponse head, Object body, long bodyBytes) {
        if (completed) {
            io.netty.util.ReferenceCountUtil.release(head);
            io.netty.util.ReferenceCountUtil.release(body);
            return ctx.newSucceededFuture();
        }
        status = head.status().code();
        bytesSent = bodyBytes;
        HttpUtil.setKeepAlive(head, keepAlive);
        head.headers().set("X-Request-Id", requestId);
        ChannelFuture last;
        if (head instanceof FullHttpResponse) {
            last = ctx.writeAndFlush(head);
        } else if (body instanceof ByteBuf content) {
            // Bytes in memory go out with the head as one message: one trip through the pipeline, one gathering write.
            last = ctx.writeAndFlush(new DefaultFullHttpResponse(head.protocolVersion(), head.status(), content,
                    head.headers(), EmptyHttpHeaders.INSTANCE));
        } else {
            ctx.write(head);
            if (body != null) {
                ctx.write(body);
            }
            last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        last.addListener((ChannelFutureListener) this::complete);
        return last;
    }

    /** The client went away before a response could be written. */
    void abandon() {
        status = 499;
        complete(null);
    }

    private void complete(ChannelFuture written) {
        if (completed) {
            return;
        }
        completed = true;
        accessLog.record(this);
        if (written == null || !written.isSuccess()) {
            ctx.close();
        } else if (refused) {
            LingeringClose.start(ctx);
        } else if (!keepAlive) {
            ctx.close();
        } else {
            // The next request. A response written at once completes inside the RequestGate's hand-on of this
            // request; the gate then hands on the next one from its loop, not from inside this call.
            ctx.read();
        }
    }
}
