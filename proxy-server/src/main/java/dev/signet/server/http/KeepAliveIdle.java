package dev.signet.server.http;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;

/**
 * Decides whether a keep-alive connection that the idle timer found quiet is really idle, or whose client is still
 * taking delivery of the last response.
 *
 * <p>The idle timer ({@code IdleStateHandler}, with {@code observeOutput}) sees only Netty's side: once the last byte
 * of a response is in the kernel's send buffer, the connection looks quiet, although several megabytes may still be
 * on their way to a slow client (the send buffer and the client's receive buffer each hold up to a few MiB). Closing
 * then means the client finishes reading the response, sends its next request at once, and finds the connection
 * closed: the soak found exactly this, after 8 MiB answers to clients that needed 60 s to drain them. So on Linux
 * (epoll) the kernel is asked: while it still sent data to the client, or received acknowledgements from it, within
 * the last idle period, the close is deferred to the next idle period. A client that stopped reading altogether
 * gets no deferral: its receive window is closed, so nothing is sent, and the kernel's zero-window probes (which the
 * client acknowledges) raise the probe backoff, which counts as silence here. At most {@link #MAX_DEFERRALS} idle
 * periods are added in a row, so a misjudgement costs a bounded time. On NIO there is no such view and the timer
 * decides alone, as before. The same view tells a slow reader of a response in progress from one that stopped
 * reading ({@link #stalled}).
 */
final class KeepAliveIdle {

    /** Idle periods a quiet connection may be kept beyond the first, while its client still takes delivery. */
    static final int MAX_DEFERRALS = 10;

    private final long idleMillis;
    private int deferrals;

    KeepAliveIdle(long idleMillis) {
        this.idleMillis = idleMillis;
    }

    long idleMillis() {
        return idleMillis;
    }

    /** A request arrived: the next quiet spell starts a fresh count. */
    void requestArrived() {
        deferrals = 0;
    }

    /** Whether the connection should be closed now that the idle timer fired with no request in progress. */
    boolean shouldClose(Channel channel) {
        if (deferrals >= MAX_DEFERRALS || !kernelSeesDelivery(channel)) {
            return true;
        }
        deferrals++;
        return false;
    }

    /**
     * Whether a response whose write made no progress in Netty for a whole idle period is really stalled. Netty sees
     * progress only when it can put more into the send buffer, which the kernel reports writable again only once a
     * third of it is free: a client reading steadily but slowly can leave Netty waiting a long time while the kernel
     * keeps sending. Stalled means the kernel sent nothing either (its zero-window probes do not count).
     */
    boolean stalled(Channel channel) {
        return !kernelSeesDelivery(channel);
    }

    private boolean kernelSeesDelivery(Channel channel) {
        if (!(channel instanceof EpollSocketChannel epoll) || !epoll.isActive()) {
            return false;
        }
        EpollTcpInfo info;
        try {
            info = epoll.tcpInfo();
        } catch (RuntimeException e) {
            // The socket is going away, or the kernel would not say: the timer's verdict stands.
            return false;
        }
        return stillReceiving(info.unacked(), info.lastDataSent(), info.lastAckRecv(), info.backoff(), idleMillis);
    }

    /**
     * The decision on the kernel's numbers ({@code tcp_info}): segments still unacknowledged, or data sent or an
     * acknowledgement received within the last idle period while the window is open (no zero-window backoff).
     */
    static boolean stillReceiving(long unacked, long millisSinceDataSent, long millisSinceAckReceived, int backoff,
                                  long idleMillis) {
        if (unacked > 0) {
            return true;
        }
        if (millisSinceDataSent < idleMillis) {
            return true;
        }
        return backoff == 0 && millisSinceAckReceived < idleMillis;
    }
}
