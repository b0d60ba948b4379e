package dev.signet.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection after a refusal without destroying the refusal. A client refused in the middle of sending
 * (a 100 KB header, a body) still has bytes in flight; closing a socket with unread input sends a TCP reset, and a
 * reset can make the client's kernel drop the answer it has not read yet. So, as nginx's {@code lingering_close} and
 * HAProxy do: send FIN, read and discard what still comes (the codec and {@link RequestGate} drop it) until the client
 * closes, and close anyway after {@link #LINGER_SECONDS}.
 */
final class LingeringClose {

    /** nginx's {@code lingering_timeout} default; enough for a client to see the answer and stop. */
    static final int LINGER_SECONDS = 5;

    private LingeringClose() {
    }

    static void start(ChannelHandlerContext ctx) {
        Channel channel = ctx.channel();
        if (!(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
            ctx.close();
            return;
        }
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls != null) {
            // close_notify first, so a TLS client reads a clean end of the stream.
            tls.closeOutbound().addListener(notified -> halfClose(ctx, duplex));
        } else {
            halfClose(ctx, duplex);
        }
    }

    private static void halfClose(ChannelHandlerContext ctx, DuplexChannel channel) {
        channel.shutdownOutput().addListener(shutdown -> {
            if (!shutdown.isSuccess()) {
                ctx.close();
                return;
            }
            // The client's EOF then closes the channel (half-closure is not allowed on these connections).
            channel.config().setAutoRead(true);
            ctx.executor().schedule(() -> ctx.close(), LINGER_SECONDS, TimeUnit.SECONDS);
        });
    }
}
