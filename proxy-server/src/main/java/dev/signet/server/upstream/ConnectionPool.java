package dev.signet.server.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * Idle keep-alive connections to upstreams, per scheme, host and port. A parked connection keeps one read posted, so
 * an upstream that closes it (or sends anything unasked) is noticed and the connection dropped at once; it is also
 * closed after {@code idleTimeout}. Taking a connection is lock-free; what the caller does with it runs on the
 * connection's own event loop.
 */
final class ConnectionPool {

    static final String IDLE_HANDLER = "pool-idle";

    record Key(String scheme, String host, int port) {}

    private final ConcurrentHashMap<Key, Deque<Channel>> idle = new ConcurrentHashMap<>();
    private final int maxIdlePerKey;
    private final Duration idleTimeout;

    ConnectionPool(int maxIdlePerKey, Duration idleTimeout) {
        this.maxIdlePerKey = maxIdlePerKey;
        this.idleTimeout = idleTimeout;
    }

    /** The most recently parked live connection for {@code key}, or {@code null}. */
    Channel take(Key key) {
        Deque<Channel> channels = idle.get(key);
        if (channels == null) {
            return null;
        }
        Channel ch;
        while ((ch = channels.pollFirst()) != null) {
            if (ch.isActive()) {
                return ch;
            }
        }
        return null;
    }

    /** Called on the connection's event loop once an exchange finished cleanly on it. */
    void park(Key key, Channel ch) {
        Deque<Channel> channels = idle.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
        if (!ch.isActive() || channels.size() >= maxIdlePerKey) {
            ch.close();
            return;
        }
        ch.pipeline().addLast(IDLE_HANDLER, new IdleConnection(key, channels));
        channels.offerFirst(ch);
        ch.read();
    }

    /** Detaches the idle watcher from a taken connection; must run on the connection's event loop. */
    static boolean reuse(Channel ch) {
        if (ch.pipeline().get(IDLE_HANDLER) != null) {
            ch.pipeline().remove(IDLE_HANDLER);
        }
        return ch.isActive();
    }

    void closeAll() {
        idle.values().forEach(channels -> {
            Channel ch;
            while ((ch = channels.pollFirst()) != null) {
                ch.close();
            }
        });
    }

    /** Watches a parked connection: closes it on unasked data, when idle too long, and forgets it when it closes. */
    private final class IdleConnection extends ChannelInboundHandlerAdapter {
        private final Key key;
        private final Deque<Channel> channels;
        private ScheduledFuture<?> expiry;

        IdleConnection(Key key, Deque<Channel> channels) {
            this.key = key;
            this.channels = channels;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            expiry = ctx.executor().schedule(() -> {
                channels.remove(ctx.channel());
                ctx.close();
            }, idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            expiry.cancel(false);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            // Nothing was asked on an idle connection: whatever this is, the connection is not reusable.
            ReferenceCountUtil.release(msg);
            channels.remove(ctx.channel());
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            channels.remove(ctx.channel());
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            channels.remove(ctx.channel());
            ctx.close();
        }

        @Override
        public String toString() {
            return "idle connection to " + key.host() + ":" + key.port();
        }
    }
}
