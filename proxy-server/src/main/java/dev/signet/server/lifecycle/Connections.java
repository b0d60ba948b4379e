package dev.signet.server.lifecycle;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The client connections of the public listeners, so a shutdown can drain them: once {@link #drain()} is called,
 * idle connections close at once, busy ones close right after their current response (which is sent with
 * {@code Connection: close}), and {@link #awaitClosed} waits for the last one.
 */
public final class Connections {

    private final ChannelGroup channels = new DefaultChannelGroup("signet-clients", GlobalEventExecutor.INSTANCE);
    private volatile boolean draining;

    /** The handler that tracks one new connection; add it right after the HTTP codec. */
    public ConnectionTracker track(Channel channel) {
        channels.add(channel);
        ConnectionTracker tracker = new ConnectionTracker(this);
        if (draining) {
            // Accepted in the instant before the listener closed: serve nothing new on it.
            channel.eventLoop().execute(tracker::drain);
        }
        return tracker;
    }

    boolean draining() {
        return draining;
    }

    public void drain() {
        draining = true;
        for (Channel channel : channels) {
            ConnectionTracker tracker = channel.pipeline().get(ConnectionTracker.class);
            if (tracker != null) {
                channel.eventLoop().execute(tracker::drain);
            } else {
                channel.close();
            }
        }
    }

    /** Waits until every connection is closed; {@code false} if some were still open after {@code timeout}. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return channels.newCloseFuture().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int open() {
        return channels.size();
    }

    public void closeAll() {
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
