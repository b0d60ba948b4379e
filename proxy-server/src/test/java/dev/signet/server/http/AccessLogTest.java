package dev.signet.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.server.config.OperationsConfig.AccessLogFormat;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The access line each request leaves on the {@code signet.access} logger, as text and as JSON. */
class AccessLogTest {

    private final Logger accessLogger = (Logger) LoggerFactory.getLogger("signet.access");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        accessLogger.addAppender(lines);
    }

    @AfterEach
    void release() {
        accessLogger.detachAppender(lines);
    }

    @Test
    void textLineNamesRequestOutcomeSizeTimeCacheVerifyAndId() {
        answer(AccessLogFormat.TEXT, request("/packages/demo/demo-1.0.whl"), exchange -> {
            exchange.cacheOutcome("hit");
            exchange.verifyOutcome("ok");
            exchange.sendText(HttpResponseStatus.FORBIDDEN, "refused");
        });

        assertThat(lines.list).hasSize(1);
        String line = lines.list.get(0).getFormattedMessage();
        // "refused\n" is 8 bytes of body.
        assertThat(line).matches("embedded GET /packages/demo/demo-1\\.0\\.whl 403 8 \\d+\\.\\d{3}ms cache=hit verify=ok id=[0-9a-z]+");
    }

    @Test
    void queryStringAndHeadersNeverReachTheLog() {
        FullHttpRequest request = request("/simple/demo/?token=s3cret");
        request.headers().set(HttpHeaderNames.AUTHORIZATION, "Basic dXNlcjpodW50ZXIy");

        answer(AccessLogFormat.TEXT, request, exchange -> exchange.sendText(HttpResponseStatus.NOT_FOUND, "no"));

        String line = lines.list.get(0).getFormattedMessage();
        assertThat(line).contains(" GET /simple/demo/?... 404 ").doesNotContain("s3cret").doesNotContain("dXNlcjpodW50ZXIy");
    }

    @Test
    void unprintablePathIsEscaped() {
        // Netty's own request decoder lets a raw DEL or byte 0x01 through in the request line; a log line must not.
        FullHttpRequest request = request("/simple/ok/");
        request.setUri("/simple/a\u007fb\u0001c/");

        answer(AccessLogFormat.TEXT, request, exchange -> exchange.sendText(HttpResponseStatus.NOT_FOUND, "no"));

        assertThat(lines.list.get(0).getFormattedMessage()).contains(" GET /simple/a?b?c/ 404 ");
    }

    @Test
    void jsonLineCarriesTheSameFields() throws Exception {
        answer(AccessLogFormat.JSON, request("/packages/demo/demo-1.0.whl"), exchange -> {
            exchange.cacheOutcome("miss");
            exchange.verifyOutcome("ok");
            exchange.sendText(HttpResponseStatus.OK, "body");
        });

        JsonNode json = new ObjectMapper().readTree(lines.list.get(0).getFormattedMessage());
        assertThat(json.get("method").asText()).isEqualTo("GET");
        assertThat(json.get("path").asText()).isEqualTo("/packages/demo/demo-1.0.whl");
        assertThat(json.get("status").asInt()).isEqualTo(200);
        assertThat(json.get("bytes").asLong()).isEqualTo(5);
        assertThat(json.get("cache").asText()).isEqualTo("miss");
        assertThat(json.get("verify").asText()).isEqualTo("ok");
        assertThat(json.get("duration_ms").isNumber()).isTrue();
        assertThat(json.get("id").asText()).isNotEmpty();
        assertThat(json.get("time").asText()).isNotEmpty();
    }

    @Test
    void durationIsZeroPaddedToMicroseconds() {
        assertThat(AccessLog.threeDigits(7)).isEqualTo("007");
        assertThat(AccessLog.threeDigits(42)).isEqualTo("042");
        assertThat(AccessLog.threeDigits(999)).isEqualTo("999");
    }

    private interface Answer {
        void with(HttpExchange exchange);
    }

    private static FullHttpRequest request(String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }

    /** Runs one exchange on an embedded channel and drops what it wrote. */
    private static void answer(AccessLogFormat format, FullHttpRequest request, Answer answer) {
        AccessLog log = new AccessLog(format);
        EmbeddedChannel channel = new EmbeddedChannel(new SimpleChannelInboundHandler<FullHttpRequest>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
                answer.with(new HttpExchange(ctx, msg, log, String.valueOf(ctx.channel().remoteAddress())));
            }
        });
        channel.writeInbound(request);
        List<Object> written = List.copyOf(channel.outboundMessages());
        channel.outboundMessages().clear();
        written.forEach(ReferenceCountUtil::release);
        channel.finishAndReleaseAll();
    }
}
