package dev.signet.server.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 server for a directory, used as the upstream index by {@code signet demo} and the integration
 * tests. It counts requests per path and can inject faults per path.
 */
public final class StaticIndexServer implements AutoCloseable {
    /** Enough for pip's parallel fetches plus a few hanging requests in fault tests. */
    private static final int WORKER_THREADS = 8;
    private static final AtomicInteger SERVER_IDS = new AtomicInteger();

    private final HttpServer server;
    private final ExecutorService workers;
    private final ConcurrentMap<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicInteger> notModifiedCounts = new ConcurrentHashMap<>();
    private final Map<String, Fault> overrides = new ConcurrentHashMap<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final URI baseUri;
    private final StaticFileHandler handler;

    private StaticIndexServer(Path root, InetSocketAddress bind) throws IOException {
        this.handler =
                new StaticFileHandler(new StaticPaths(root), requestCounts, notModifiedCounts, overrides, stopping);
        this.workers = Executors.newFixedThreadPool(WORKER_THREADS, workerThreads());
        try {
            this.server = HttpServer.create(bind, 0);
        } catch (IOException e) {
            workers.shutdownNow();
            throw e;
        }
        server.createContext("/", handler);
        server.setExecutor(workers);
        server.start();
        InetSocketAddress bound = server.getAddress();
        String host = bound.getAddress().getHostAddress();
        this.baseUri = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + bound.getPort() + "/");
    }

    /** Serves {@code root} on {@code bind}; port 0 picks a free port, see {@link #baseUri()}. */
    public static StaticIndexServer start(Path root, InetSocketAddress bind) throws IOException {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(bind, "bind");
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("not a directory: " + root);
        }
        return new StaticIndexServer(root, bind);
    }

    /** {@code http://HOST:PORT/} of the bound socket. */
    public URI baseUri() {
        return baseUri;
    }

    /** {@code http://HOST:PORT/simple/}, the URL to give an installer as its index. */
    public URI simpleUri() {
        return baseUri.resolve("simple/");
    }

    /** Requests received for this exact decoded path (e.g. {@code /packages/x.whl}), any method and outcome. */
    /** How many TCP connections clients opened so far (distinct client addresses): shows connection reuse. */
    public int connectionCount() {
        return handler.clients.size();
    }

    /** How many requests for {@code path} were answered {@code 304 Not Modified} (revalidations). */
    public int notModifiedCount(String path) {
        AtomicInteger count = notModifiedCounts.get(path);
        return count == null ? 0 : count.get();
    }

    public int requestCount(String path) {
        AtomicInteger count = requestCounts.get(path);
        return count == null ? 0 : count.get();
    }

    /** Requests received for any path since the start or the last {@link #resetCounts()}. */
    public int totalRequestCount() {
        return requestCounts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public void resetCounts() {
        requestCounts.clear();
        notModifiedCounts.clear();
    }

    /** From now on, answer requests for this exact decoded path with {@code fault}. */
    public void override(String path, Fault fault) {
        Objects.requireNonNull(fault, "fault");
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("override path must start with '/': " + PackageNames.quote(path));
        }
        overrides.put(path, fault);
    }

    public void clearOverrides() {
        overrides.clear();
    }

    /** Stops listening, releases delayed and hanging requests, and closes open connections. */
    @Override
    public void close() {
        stopping.countDown();
        server.stop(0);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory workerThreads() {
        int serverId = SERVER_IDS.incrementAndGet();
        AtomicInteger threadIds = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "static-index-" + serverId + "-" + threadIds.incrementAndGet());
            // Daemon: a demo or test that forgets close() must still be able to exit.
            thread.setDaemon(true);
            return thread;
        };
    }
}
