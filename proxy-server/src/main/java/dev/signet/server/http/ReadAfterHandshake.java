package dev.signet.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * With AUTO_READ off, the read asked for when the connection opened is spent on the TLS handshake: FlowControlHandler
 * counts it as satisfied by the handshake's read cycle, and the first request would wait in its queue forever. This
 * handler sits after flow control and asks for a read once the handshake is done, after the current read cycle (a
 * read issued inside it would be "satisfied" by that cycle's channelReadComplete too). Removes itself afterwards.
 */
final class ReadAfterHandshake extends ChannelInboundHandlerAdapter {

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                ctx.executor().execute(ctx::read);
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(evt);
    }
}
