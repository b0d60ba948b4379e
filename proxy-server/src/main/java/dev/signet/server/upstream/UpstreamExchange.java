package dev.signet.server.upstream;

import dev.signet.server.concurrent.Futures;
import dev.signet.server.upstream.UpstreamException.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request/response exchange on one upstream connection, with backpressure: AUTO_READ is off, and the next read is
 * requested only when everything decoded so far was consumed; a streamed chunk counts as consumed when the sink's
 * stage completes. Messages decoded in one read wait in a small local queue (at most one socket read's worth), which
 * also keeps the end of a body that arrives together with the connection's close.
 *
 * <p>Every way an exchange can end (complete body, bad status, timeout, early close, decoder failure) goes through
 * {@link #succeed} or {@link #fail}, which release what it holds exactly once.
 */
final class UpstreamExchange extends ChannelInboundHandlerAdapter {

    /** What to do with the body: aggregate a small one, or stream a large one to a sink. */
    sealed interface Mode permits Aggregate, Stream {}

    record Aggregate(int maxBytes, CompletableFuture<UpstreamResponse> result) implements Mode {}

    record Stream(BodySink sink, CompletableFuture<StreamedResponse> result) implements Mode {}

    /** What happens to the connection after a clean end: parked for reuse, or closed. */
    @FunctionalInterface
    interface AfterExchange {
        void done(ChannelHandlerContext ctx, boolean reusable);
    }

    private final String url;
    private final FullHttpRequest request;
    private final AfterExchange after;
    /** Set for an exchange on a reused connection: run instead of failing when that connection turns out dead. */
    private final Runnable retryOnFreshConnection;
    private boolean started;
    private final UpstreamTimeouts timeouts;
    private final Mode mode;
    private final ArrayDeque<Object> decoded = new ArrayDeque<>();

    private HttpResponse head;
    private long declaredLength = -1;
    private long received;
    private CompositeByteBuf aggregated;
    private boolean sinkBusy;
    private boolean inactive;
    private boolean finished;
    private ScheduledFuture<?> totalTimer;
    private ScheduledFuture<?> readTimer;

    UpstreamExchange(String url, FullHttpRequest request, UpstreamTimeouts timeouts, Mode mode, AfterExchange after,
                     Runnable retryOnFreshConnection) {
        this.url = url;
        this.request = request;
        this.timeouts = timeouts;
        this.mode = mode;
        this.after = after;
        this.retryOnFreshConnection = retryOnFreshConnection;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        totalTimer = ctx.executor().schedule(
                () -> fail(ctx, new UpstreamException(Kind.TIMEOUT, "upstream took longer than " + timeouts.total() + " for " + url)),
                timeouts.total().toMillis(), TimeUnit.MILLISECONDS);
        if (ctx.channel().isActive()) {
            // A pooled connection: it is already open, so the request goes out now.
            begin(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        begin(ctx);
        ctx.fireChannelActive();
    }

    private void begin(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        ctx.writeAndFlush(request).addListener(f -> {
            if (!f.isSuccess()) {
                fail(ctx, new UpstreamException(Kind.CLOSED, "could not send request to upstream for " + url, f.cause()));
            }
        });
        readNext(ctx, timeouts.firstByte().toMillis(), "no response within " + timeouts.firstByte());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        cancel(readTimer);
        if (finished) {
            ReferenceCountUtil.release(msg);
            return;
        }
        decoded.add(msg);
        drain(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        askForMore(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive = true;
        askForMore(ctx);
        ctx.fireChannelInactive();
    }

    /** Processes queued messages until one is handed to the sink (which then owns the pace) or the queue is empty. */
    private void drain(ChannelHandlerContext ctx) {
        while (!finished && !sinkBusy && !decoded.isEmpty()) {
            Object msg = decoded.poll();
            try {
                process(ctx, msg);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
        if (finished) {
            releaseQueued();
        }
    }

    /** Everything decoded is consumed: read more, or, if the connection is gone, the body ended early. */
    private void askForMore(ChannelHandlerContext ctx) {
        if (finished || sinkBusy || !decoded.isEmpty()) {
            return;
        }
        if (inactive) {
            fail(ctx, head == null
                    ? new UpstreamException(Kind.CLOSED, "upstream closed the connection before answering " + url)
                    : truncated());
        } else if (head == null) {
            readNext(ctx, timeouts.firstByte().toMillis(), "no response within " + timeouts.firstByte());
        } else {
            readNext(ctx, timeouts.idle().toMillis(), "upstream stalled for " + timeouts.idle());
        }
    }

    private void process(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpObject obj && obj.decoderResult().isFailure()) {
            Throwable cause = obj.decoderResult().cause();
            fail(ctx, new UpstreamException(Kind.PROTOCOL, "malformed upstream response for " + url + ": " + cause.getMessage(), cause));
            return;
        }
        if (msg instanceof HttpResponse response) {
            onHead(ctx, response);
        }
        if (!finished && msg instanceof HttpContent content) {
            onContent(ctx, content);
        }
    }

    private void onHead(ChannelHandlerContext ctx, HttpResponse response) {
        head = response;
        declaredLength = HttpUtil.getContentLength(response, -1L);
        int status = response.status().code();
        if (mode instanceof Stream && status != 200) {
            fail(ctx, UpstreamException.status(status, url, response.headers().get(HttpHeaderNames.LOCATION)));
        } else if (mode instanceof Aggregate agg) {
            if (declaredLength > agg.maxBytes()) {
                fail(ctx, tooLarge(agg));
                return;
            }
            aggregated = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
        }
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        if (head == null) {
            fail(ctx, new UpstreamException(Kind.PROTOCOL, "upstream sent a body without a response head for " + url));
            return;
        }
        ByteBuf data = content.content();
        received += data.readableBytes();
        boolean last = content instanceof LastHttpContent;
        if (declaredLength >= 0 && received > declaredLength) {
            fail(ctx, new UpstreamException(Kind.PROTOCOL, "upstream sent more than its Content-Length for " + url));
            return;
        }
        if (last && declaredLength >= 0 && received != declaredLength) {
            fail(ctx, truncated());
            return;
        }
        if (mode instanceof Aggregate agg) {
            if (received > agg.maxBytes()) {
                fail(ctx, tooLarge(agg));
                return;
            }
            if (data.isReadable()) {
                aggregated.addComponent(true, data.retain());
            }
            if (last) {
                byte[] body = ByteBufUtil.getBytes(aggregated);
                UpstreamResponse done = new UpstreamResponse(head.status().code(), head.headers().copy(), body);
                succeed(ctx, () -> agg.result().complete(done));
            }
        } else if (mode instanceof Stream stream) {
            if (data.isReadable()) {
                toSink(ctx, stream, data.retain(), last);
            } else if (last) {
                completeStream(ctx, stream);
            }
        }
    }

    private void toSink(ChannelHandlerContext ctx, Stream stream, ByteBuf chunk, boolean last) {
        sinkBusy = true;
        CompletableFuture<Void> taken = stream.sink().onContent(chunk).toCompletableFuture();
        if (taken.isDone() && !taken.isCompletedExceptionally() && ctx.executor().inEventLoop()) {
            // Taken at once (a sink reading ahead within its window): go on without a task hand-off per chunk;
            // the caller's loop drains what is queued and channelReadComplete asks for the next read.
            chunk.release();
            sinkBusy = false;
            if (last) {
                completeStream(ctx, stream);
            }
            return;
        }
        taken.whenComplete((ignored, error) -> ctx.executor().execute(() -> {
            chunk.release();
            sinkBusy = false;
            if (error != null) {
                fail(ctx, error);
            } else if (last) {
                completeStream(ctx, stream);
            } else {
                drain(ctx);
                askForMore(ctx);
            }
        }));
    }

    private void completeStream(ChannelHandlerContext ctx, Stream stream) {
        StreamedResponse done = new StreamedResponse(head.headers().copy(), declaredLength, received);
        succeed(ctx, () -> stream.result().complete(done));
    }

    private void readNext(ChannelHandlerContext ctx, long timeoutMillis, String timeoutMessage) {
        cancel(readTimer);
        readTimer = ctx.executor().schedule(
                () -> fail(ctx, new UpstreamException(Kind.TIMEOUT, timeoutMessage + " (" + url + ")")),
                timeoutMillis, TimeUnit.MILLISECONDS);
        ctx.read();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, new UpstreamException(Kind.PROTOCOL, "upstream connection failed for " + url + ": " + cause.getMessage(), cause));
    }

    private UpstreamException truncated() {
        return new UpstreamException(Kind.TRUNCATED, "upstream body for " + url + " ended after " + received + " of "
                + (declaredLength >= 0 ? declaredLength + " bytes" : "an unknown number of bytes"));
    }

    private UpstreamException tooLarge(Aggregate agg) {
        return new UpstreamException(Kind.TOO_LARGE, "upstream response for " + url + " is larger than " + agg.maxBytes() + " bytes");
    }

    private void succeed(ChannelHandlerContext ctx, Runnable complete) {
        if (finished) {
            return;
        }
        finished = true;
        boolean reusable = !inactive && !ctx.isRemoved() && decoded.isEmpty() && head != null && HttpUtil.isKeepAlive(head);
        cleanUp();
        try {
            if (!ctx.isRemoved()) {
                ctx.pipeline().remove(this);
            }
            after.done(ctx, reusable);
        } finally {
            // The body is complete whatever happens to the connection: the upstream may already have closed it
            // (HTTP/1.0, Connection: close), in which case the pipeline is gone by the time a slow sink finishes.
            complete.run();
        }
    }



    void fail(ChannelHandlerContext ctx, Throwable error) {
        if (finished) {
            return;
        }
        finished = true;
        cleanUp();
        ctx.close();
        Throwable cause = Futures.unwrap(error);
        if (retryOnFreshConnection != null && head == null && cause instanceof UpstreamException ue
                && (ue.kind() == Kind.CLOSED || ue.kind() == Kind.PROTOCOL)) {
            // The pooled connection was closed by the upstream while idle (a race no client can avoid); nothing was
            // answered and GET is idempotent, so the request is sent once more on a new connection.
            retryOnFreshConnection.run();
            return;
        }
        if (mode instanceof Aggregate agg) {
            agg.result().completeExceptionally(cause instanceof UpstreamException ? cause
                    : new UpstreamException(Kind.PROTOCOL, "upstream exchange failed for " + url + ": " + cause.getMessage(), cause));
        } else if (mode instanceof Stream stream) {
            // A sink's own failure (e.g. a refused signature) is passed on as it is.
            stream.result().completeExceptionally(cause);
        }
    }

    /** The connection never came up: nothing was sent, so the request is still ours to release. */
    void releaseUnsent() {
        finished = true;
        ReferenceCountUtil.safeRelease(request);
    }

    private void cleanUp() {
        cancel(totalTimer);
        cancel(readTimer);
        releaseQueued();
        if (aggregated != null) {
            aggregated.release();
            aggregated = null;
        }
        if (request.refCnt() > 0) {
            // The encoder releases the request once written; if it never was, it is still ours.
            ReferenceCountUtil.safeRelease(request);
        }
    }

    private void releaseQueued() {
        Object msg;
        while ((msg = decoded.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    static FullHttpRequest newRequest(String pathAndQuery, HttpHeaders headers) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, pathAndQuery);
        request.headers().set(headers);
        return request;
    }
}
