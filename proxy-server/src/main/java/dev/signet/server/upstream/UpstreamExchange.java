package dev.signet.server.upstream;

import dev.signet.server.upstream.UpstreamException.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request/response exchange on one upstream connection. It reads one message at a time (AUTO_READ is off and a
 * {@code FlowControlHandler} sits in front of it) and asks for the next only when the previous one was consumed, so a
 * slow consumer slows the upstream instead of filling memory. Every way an exchange can end (complete body, bad status,
 * timeout, early close, decoder failure) goes through {@link #finish}, which releases what it holds exactly once.
 */
final class UpstreamExchange extends ChannelInboundHandlerAdapter {

    /** What to do with the body: aggregate a small one, or stream a large one to a sink. */
    sealed interface Mode permits Aggregate, Stream {}

    record Aggregate(int maxBytes, CompletableFuture<UpstreamResponse> result) implements Mode {}

    record Stream(BodySink sink, CompletableFuture<StreamedResponse> result) implements Mode {}

    private final String url;
    private final FullHttpRequest request;
    private final UpstreamTimeouts timeouts;
    private final Mode mode;

    private HttpResponse head;
    private long declaredLength = -1;
    private long received;
    private CompositeByteBuf aggregated;
    private boolean finished;
    private ScheduledFuture<?> totalTimer;
    private ScheduledFuture<?> readTimer;

    UpstreamExchange(String url, FullHttpRequest request, UpstreamTimeouts timeouts, Mode mode) {
        this.url = url;
        this.request = request;
        this.timeouts = timeouts;
        this.mode = mode;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        totalTimer = ctx.executor().schedule(
                () -> fail(ctx, new UpstreamException(Kind.TIMEOUT, "upstream took longer than " + timeouts.total() + " for " + url)),
                timeouts.total().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
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
        try {
            if (finished) {
                return;
            }
            if (msg instanceof HttpObject obj && obj.decoderResult().isFailure()) {
                fail(ctx, new UpstreamException(Kind.PROTOCOL, "malformed upstream response for " + url + ": "
                        + obj.decoderResult().cause().getMessage(), obj.decoderResult().cause()));
                return;
            }
            if (msg instanceof HttpResponse response) {
                onHead(ctx, response);
            }
            if (!finished && msg instanceof HttpContent content) {
                onContent(ctx, content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(ChannelHandlerContext ctx, HttpResponse response) {
        head = response;
        declaredLength = HttpUtil.getContentLength(response, -1L);
        int status = response.status().code();
        if (mode instanceof Stream && status != 200) {
            fail(ctx, UpstreamException.status(status, url));
        } else if (mode instanceof Aggregate agg) {
            if (declaredLength > agg.maxBytes()) {
                fail(ctx, new UpstreamException(Kind.TOO_LARGE, "upstream response for " + url + " is larger than " + agg.maxBytes() + " bytes"));
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
                fail(ctx, new UpstreamException(Kind.TOO_LARGE, "upstream response for " + url + " is larger than " + agg.maxBytes() + " bytes"));
                return;
            }
            if (data.isReadable()) {
                aggregated.addComponent(true, data.retain());
            }
            if (last) {
                byte[] body = ByteBufUtil.getBytes(aggregated);
                succeed(ctx, () -> agg.result().complete(new UpstreamResponse(head.status().code(), copy(head.headers()), body)));
            } else {
                readNext(ctx, timeouts.idle().toMillis(), "upstream stalled for " + timeouts.idle());
            }
        } else if (mode instanceof Stream stream) {
            if (!data.isReadable()) {
                afterChunk(ctx, stream, last);
                return;
            }
            ByteBuf chunk = data.retain();
            stream.sink().onContent(chunk).whenComplete((ignored, error) -> {
                chunk.release();
                ctx.executor().execute(() -> {
                    if (error != null) {
                        fail(ctx, error);
                    } else {
                        afterChunk(ctx, stream, last);
                    }
                });
            });
        }
    }

    private void afterChunk(ChannelHandlerContext ctx, Stream stream, boolean last) {
        if (finished) {
            return;
        }
        if (last) {
            StreamedResponse done = new StreamedResponse(copy(head.headers()), declaredLength, received);
            succeed(ctx, () -> stream.result().complete(done));
        } else {
            readNext(ctx, timeouts.idle().toMillis(), "upstream stalled for " + timeouts.idle());
        }
    }

    private void readNext(ChannelHandlerContext ctx, long timeoutMillis, String timeoutMessage) {
        readTimer = ctx.executor().schedule(
                () -> fail(ctx, new UpstreamException(Kind.TIMEOUT, timeoutMessage + " (" + url + ")")),
                timeoutMillis, TimeUnit.MILLISECONDS);
        ctx.read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!finished) {
            fail(ctx, head == null
                    ? new UpstreamException(Kind.CLOSED, "upstream closed the connection before answering " + url)
                    : truncated());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, new UpstreamException(Kind.PROTOCOL, "upstream connection failed for " + url + ": " + cause.getMessage(), cause));
    }

    private UpstreamException truncated() {
        return new UpstreamException(Kind.TRUNCATED, "upstream body for " + url + " ended after " + received + " of "
                + (declaredLength >= 0 ? declaredLength + " bytes" : "an unknown number of bytes"));
    }

    private void succeed(ChannelHandlerContext ctx, Runnable complete) {
        if (finished) {
            return;
        }
        finished = true;
        cleanUp();
        ctx.close();
        complete.run();
    }

    void fail(ChannelHandlerContext ctx, Throwable error) {
        if (finished) {
            return;
        }
        if (error instanceof java.util.concurrent.CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        finished = true;
        cleanUp();
        ctx.close();
        UpstreamException failure = error instanceof UpstreamException ue ? ue
                : new UpstreamException(Kind.PROTOCOL, "upstream exchange failed for " + url + ": " + error.getMessage(), error);
        if (mode instanceof Aggregate agg) {
            agg.result().completeExceptionally(failure);
        } else if (mode instanceof Stream stream) {
            stream.result().completeExceptionally(error instanceof UpstreamException ? failure : error);
        }
    }

    private void cleanUp() {
        cancel(totalTimer);
        cancel(readTimer);
        if (aggregated != null) {
            aggregated.release();
            aggregated = null;
        }
        if (request.refCnt() > 0) {
            // The request is released by the encoder once written; if it never was, release it here.
            ReferenceCountUtil.safeRelease(request);
        }
    }

    /** The connection never came up: nothing was sent, so the request is still ours to release. */
    void releaseUnsent() {
        finished = true;
        ReferenceCountUtil.safeRelease(request);
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private static HttpHeaders copy(HttpHeaders headers) {
        return headers.copy();
    }

    static FullHttpRequest newRequest(String pathAndQuery, HttpHeaders headers) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(
                io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpMethod.GET, pathAndQuery);
        request.headers().set(headers);
        return request;
    }
}
