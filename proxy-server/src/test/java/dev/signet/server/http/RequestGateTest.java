package dev.signet.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.config.RequestHeadLimits;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The request gate in the public listener's pipeline (codec, gate, router) on an {@link EmbeddedChannel} with AUTO_READ
 * off: every {@code writeInbound} is one read cycle, and the reads that reach the transport are counted.
 */
class RequestGateTest {

    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(10);
    private static final String GET = "GET /simple/ HTTP/1.1\r\nHost: x\r\n\r\n";

    /** Stands in for RequestHandler: records requests; asks for the next one only when told to. */
    private static final class Router extends ChannelInboundHandlerAdapter {
        final List<FullHttpRequest> received = new ArrayList<>();
        ChannelHandlerContext ctx;
        /** Answer at once: ask for the next request from inside channelRead, as a response written synchronously does. */
        boolean readAgainAtOnce;
        int depth;
        int maxDepth;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            FullHttpRequest request = (FullHttpRequest) msg;
            received.add(request);
            depth++;
            maxDepth = Math.max(maxDepth, depth);
            if (readAgainAtOnce) {
                ctx.read();
            }
            depth--;
        }

        void next() {
            ctx.read();
        }

        List<String> uris() {
            return received.stream().map(FullHttpRequest::uri).toList();
        }
    }

    /** Counts the reads that reach the transport. */
    private static final class Transport extends ChannelOutboundHandlerAdapter {
        int reads;

        @Override
        public void read(ChannelHandlerContext ctx) {
            reads++;
            ctx.read();
        }
    }

    private final Router router = new Router();
    private final Transport transport = new Transport();
    private EmbeddedChannel channel;

    private void open(int maxHeaders) throws Exception {
        channel = new EmbeddedChannel(false, false, transport,
                RequestHeads.codec(RequestHeadLimits.DEFAULTS),
                new RequestGate(maxHeaders, HEAD_TIMEOUT), router);
        channel.config().setAutoRead(false);
        channel.register();
        channel.freezeTime();
        router.next();
    }

    @AfterEach
    void close() {
        router.received.forEach(ReferenceCountUtil::release);
        channel.finishAndReleaseAll();
    }

    private void arrive(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    }

    @Test
    void aReadStaysWantedOverReadCyclesThatCompleteNoRequest() throws Exception {
        open(100);
        int readsBefore = transport.reads;

        arrive("GET /simple/ HTTP/1.1\r\nHo");
        assertThat(router.received).isEmpty();
        assertThat(transport.reads).as("the cycle ended without a request: read on").isGreaterThan(readsBefore);

        arrive("st: x\r\n");
        arrive("\r\n");
        assertThat(router.uris()).containsExactly("/simple/");
    }

    @Test
    void aHeadArrivingByteByByteIsHandedOnOnce() throws Exception {
        open(100);
        for (char c : GET.toCharArray()) {
            arrive(String.valueOf(c));
        }
        assertThat(router.uris()).containsExactly("/simple/");
        assertThat(router.received.get(0).decoderResult().isSuccess()).isTrue();
    }

    @Test
    void pipelinedRequestsAreHandedOnOnePerReadInOrder() throws Exception {
        open(100);
        arrive("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(router.uris()).as("nothing more until asked").containsExactly("/a");

        int reads = transport.reads;
        router.next();
        assertThat(router.uris()).containsExactly("/a", "/b");
        assertThat(transport.reads).as("served from the queue, not the transport").isEqualTo(reads);
        router.next();
        router.next();
        assertThat(router.uris()).containsExactly("/a", "/b", "/c");
        assertThat(transport.reads).as("queue empty: the transport is asked").isEqualTo(reads + 1);
    }

    @Test
    void aReadAskedForInsideTheHandOnIsServedByItsLoopNotByRecursion() throws Exception {
        open(100);
        router.readAgainAtOnce = true;
        arrive(GET.repeat(50));
        assertThat(router.received).hasSize(50);
        assertThat(router.maxDepth).isEqualTo(1);
    }

    @Test
    void aHeadNotCompleteWithinTheTimeoutIsRefusedWith408AndNothingAfterItIsHandedOn() throws Exception {
        open(100);
        arrive("GET /simple/ HTTP/1.1\r\nHost: x\r\nX-Slow: a");
        channel.advanceTimeBy(HEAD_TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(router.received).isEmpty();

        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(router.received).hasSize(1);
        assertThat(statusOf(router.received.get(0))).isEqualTo(HttpResponseStatus.REQUEST_TIMEOUT);

        arrive("\r\n\r\n" + GET);
        router.next();
        assertThat(router.received).hasSize(1);
    }

    @Test
    void anIdleConnectionBetweenRequestsGetsNoHeadTimeout() throws Exception {
        open(100);
        router.readAgainAtOnce = true;
        arrive(GET);
        assertThat(router.received).hasSize(1);

        channel.advanceTimeBy(HEAD_TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(router.received).as("the idle timeout's business, not the head timeout's").hasSize(1);
    }

    @Test
    void aHeadCompletedInTimeCancelsItsTimer() throws Exception {
        open(100);
        arrive("GET /simple/ HTTP/1.1\r\n");
        arrive("Host: x\r\n\r\n");
        channel.advanceTimeBy(HEAD_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(router.received).hasSize(1);
        assertThat(router.received.get(0).decoderResult().isSuccess()).isTrue();
    }

    @Test
    void aRefusedHeadIsHandedOnAsAFailureAndWhatFollowsItIsDropped() throws Exception {
        open(100);
        arrive("POST /simple/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + GET);
        assertThat(router.received).hasSize(1);
        assertThat(statusOf(router.received.get(0))).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        router.next();
        assertThat(router.received).hasSize(1);
    }

    @Test
    void theCodecsLimitsAreRefusedWithTheirOwnStatus() throws Exception {
        open(100);
        arrive("GET /" + "a".repeat(RequestHeadLimits.DEFAULTS.maxRequestLine()) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(statusOf(router.received.get(0))).isEqualTo(HttpResponseStatus.REQUEST_URI_TOO_LONG);
    }

    @Test
    void headersBeyondTheSizeLimitAreRefusedWith431() throws Exception {
        open(100);
        arrive("GET / HTTP/1.1\r\nHost: x\r\nCookie: " + "c".repeat(RequestHeadLimits.DEFAULTS.maxHeaderSize()) + "\r\n\r\n");
        assertThat(statusOf(router.received.get(0))).isEqualTo(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE);
    }

    @Test
    void moreFieldsThanMaxHeadersAreRefusedWith431() throws Exception {
        open(8);
        arrive("GET / HTTP/1.1\r\nHost: x\r\n" + "X: y\r\n".repeat(8) + "\r\n");
        assertThat(statusOf(router.received.get(0))).isEqualTo(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE);
    }

    private static HttpResponseStatus statusOf(FullHttpRequest request) {
        assertThat(request.decoderResult().isFailure()).isTrue();
        return RequestRefusal.statusFor(request.decoderResult().cause());
    }
}
