package dev.signet.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay in front of an upstream that, while armed, resets (RST, not FIN) every connection whose answer grows past
 * a number of bytes: an upstream or middlebox dropping a large transfer in the middle. Small answers (pages,
 * signatures) pass untouched.
 */
public final class ResettingRelay implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "resetting-relay");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong resetAfter = new AtomicLong(Long.MAX_VALUE);
    private final AtomicInteger resets = new AtomicInteger();

    private ResettingRelay(InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    public static ResettingRelay start(InetSocketAddress upstream) throws IOException {
        return new ResettingRelay(upstream);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** From now on, reset any connection once more than {@code bytes} of answer have passed through it. */
    public void arm(long bytes) {
        resetAfter.set(bytes);
    }

    public void disarm() {
        resetAfter.set(Long.MAX_VALUE);
    }

    public int resets() {
        return resets.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket origin = new Socket(upstream.getAddress(), upstream.getPort());
                threads.execute(() -> pipe(client, origin, Long.MAX_VALUE));
                threads.execute(() -> pipe(origin, client, resetAfter.get()));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private void pipe(Socket from, Socket to, long limit) {
        byte[] buf = new byte[64 * 1024];
        long passed = 0;
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                int send = (int) Math.min(n, limit - passed);
                out.write(buf, 0, send);
                out.flush();
                passed += send;
                if (passed >= limit) {
                    resets.incrementAndGet();
                    to.setSoLinger(true, 0);
                    return;
                }
            }
        } catch (IOException e) {
            // The other direction closed or reset: this one ends too.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
