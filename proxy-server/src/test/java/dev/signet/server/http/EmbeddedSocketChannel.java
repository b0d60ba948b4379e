package dev.signet.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DefaultSocketChannelConfig;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketChannelConfig;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An {@link EmbeddedChannel} that is a {@link SocketChannel} (what {@link PublicChannelInitializer} builds on) and that,
 * like a socket with {@code AUTO_READ} off, hands the pipeline its next chunk of input only after the pipeline asked
 * for a read. A pipeline that stops asking while input is waiting is stuck, as it would be on a real connection.
 */
final class EmbeddedSocketChannel extends EmbeddedChannel implements SocketChannel {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40_000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 8080);

    private final Deque<ByteBuf> pending = new ArrayDeque<>();
    /** Set before the super constructor returns (it reads the config), so assigned lazily, never initialised. */
    private SocketChannelConfig socketConfig;
    private boolean readRequested;

    EmbeddedSocketChannel(ChannelHandler initializer) {
        super(DefaultChannelId.newInstance(), false, false, initializer);
        config().setAutoRead(false);
    }

    /** Queues input; it reaches the pipeline through {@link #deliver()}. */
    void offer(ByteBuf chunk) {
        pending.add(chunk);
    }

    int pendingChunks() {
        return pending.size();
    }

    /**
     * Delivers queued chunks, one per read the pipeline asks for, running the tasks each one schedules. Returns when
     * everything was delivered, the channel closed, or the pipeline stopped asking for reads.
     */
    void deliver() {
        runPendingTasks();
        while (!pending.isEmpty() && isOpen() && readRequested) {
            readRequested = false;
            ByteBuf chunk = pending.poll();
            pipeline().fireChannelRead(chunk);
            pipeline().fireChannelReadComplete();
            runPendingTasks();
        }
    }

    /** Releases input that never reached the pipeline (the connection closed first). */
    void discardPending() {
        pending.forEach(ByteBuf::release);
        pending.clear();
    }

    @Override
    protected void doBeginRead() {
        readRequested = true;
    }

    @Override
    public SocketChannelConfig config() {
        if (socketConfig == null) {
            // A java.net.Socket only gets a file descriptor when used; the one Netty's config would touch is no-op'd.
            socketConfig = new DefaultSocketChannelConfig(this, new Socket() {
                @Override
                public void setTcpNoDelay(boolean on) {
                }
            });
        }
        return socketConfig;
    }

    @Override
    public ServerSocketChannel parent() {
        return null;
    }

    @Override
    public InetSocketAddress localAddress() {
        return SERVER;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return CLIENT;
    }

    @Override
    public boolean isInputShutdown() {
        return !isOpen();
    }

    @Override
    public ChannelFuture shutdownInput() {
        return close();
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        return close(promise);
    }

    @Override
    public boolean isOutputShutdown() {
        return !isOpen();
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return close();
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        return close(promise);
    }

    @Override
    public boolean isShutdown() {
        return !isOpen();
    }

    @Override
    public ChannelFuture shutdown() {
        return close();
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        return close(promise);
    }
}
