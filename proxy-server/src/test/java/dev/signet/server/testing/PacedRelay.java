package dev.signet.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay on loopback in front of an HTTP upstream that delivers the upstream's answers at most
 * {@code bytesPerSecond} per connection, like a slow link: requests pass at once, responses are paced. Everything else
 * (status, headers, keep-alive) is the upstream's own, byte for byte.
 */
public final class PacedRelay implements AutoCloseable {

    private static final int CHUNK = 64 * 1024;

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final long bytesPerSecond;
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "paced-relay");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private PacedRelay(URI upstream, long bytesPerSecond) throws IOException {
        this.target = new InetSocketAddress(upstream.getHost(), upstream.getPort());
        this.bytesPerSecond = bytesPerSecond;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    /** Relays to {@code upstream}'s host and port. */
    public static PacedRelay start(URI upstream, long bytesPerSecond) throws IOException {
        return new PacedRelay(upstream, bytesPerSecond);
    }

    /** {@code http://127.0.0.1:PORT/}: the upstream's paths, paced. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                sockets.add(client);
                sockets.add(upstream);
                threads.execute(() -> copy(client, upstream, false));
                threads.execute(() -> copy(upstream, client, true));
            } catch (IOException e) {
                // Closed, or the upstream refused: the client sees its connection closed, as with a dead link.
            }
        }
    }

    private void copy(Socket from, Socket to, boolean paced) {
        byte[] buffer = new byte[CHUNK];
        long nanosPerByte = TimeUnit.SECONDS.toNanos(1) / bytesPerSecond;
        long due = System.nanoTime();
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (paced) {
                    long now = System.nanoTime();
                    // After a pause (an idle keep-alive connection) the pace starts again rather than bursting.
                    due = Math.max(due, now) + n * nanosPerByte;
                    if (due > now) {
                        LockSupport.parkNanos(due - now);
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // One side closed: the other is closed below.
        } finally {
            close(from);
            close(to);
        }
    }

    private void close(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // Already closed.
        }
        sockets.forEach(this::close);
        threads.shutdownNow();
    }
}
