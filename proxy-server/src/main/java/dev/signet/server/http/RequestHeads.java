package dev.signet.server.http;

import dev.signet.server.config.RequestHeadLimits;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.Locale;

/**
 * The front door's handling of request heads, for every listener that speaks HTTP (public and admin): the codec with
 * the head limits, the {@link RequestGate} after it, how a refused request is recognised and answered, and the
 * lingering close after the answer. A listener using it reads with AUTO_READ off, asks for the first request when the
 * connection opens and for each next one once the previous response is written.
 */
public final class RequestHeads {

    private RequestHeads() {
    }

    public static HttpServerCodec codec(RequestHeadLimits limits) {
        return new HttpServerCodec(decoderConfig(limits));
    }

    /**
     * Netty's decoder enforces the size limits (a failed decode names the one exceeded, see {@link RequestRefusal}) and
     * validates header names and values, and bare-LF line ends; {@code Transfer-Encoding} is refused later whatever
     * its value.
     */
    static HttpDecoderConfig decoderConfig(RequestHeadLimits limits) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxRequestLine())
                .setMaxHeaderSize(limits.maxHeaderSize())
                .setValidateHeaders(true)
                .setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(true);
    }

    /** Goes right after {@link #codec}; a new one per connection. */
    public static ChannelHandler gate(RequestHeadLimits limits) {
        return new RequestGate(limits.maxHeaders(), limits.timeout());
    }

    /** {@code null} for a request the gate accepted, else the status to refuse it with (then close). */
    public static HttpResponseStatus refusal(FullHttpRequest request) {
        return request.decoderResult().isFailure() ? RequestRefusal.statusFor(request.decoderResult().cause()) : null;
    }

    /** The one-line reason for a refused request: the status and what was wrong. */
    public static String refusalReason(FullHttpRequest request) {
        HttpResponseStatus status = RequestRefusal.statusFor(request.decoderResult().cause());
        return status.reasonPhrase().toLowerCase(Locale.ROOT) + ": " + request.decoderResult().cause().getMessage();
    }

    /** After the refusal is written: FIN, drain what the client still sends, then close ({@link LingeringClose}). */
    public static void closeAfterRefusal(ChannelHandlerContext ctx) {
        LingeringClose.start(ctx);
    }
}
