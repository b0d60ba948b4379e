package dev.signet.server.demo;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Serves files below the root with GET and HEAD, counting every request and applying injected faults first. */
final class StaticFileHandler implements HttpHandler {
    private static final int BUFFER = 64 * 1024;

    private final StaticPaths paths;
    private final ConcurrentMap<String, AtomicInteger> requestCounts;
    private final ConcurrentMap<String, AtomicInteger> notModifiedCounts;
    private final Map<String, Fault> overrides;
    /** Every client address (host and port) seen: one per TCP connection. */
    final java.util.Set<java.net.InetSocketAddress> clients = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Released when the server stops, so delayed and hanging requests end instead of pinning worker threads. */
    private final CountDownLatch stopping;

    StaticFileHandler(StaticPaths paths, ConcurrentMap<String, AtomicInteger> requestCounts,
            ConcurrentMap<String, AtomicInteger> notModifiedCounts, Map<String, Fault> overrides, CountDownLatch stopping) {
        this.paths = paths;
        this.requestCounts = requestCounts;
        this.notModifiedCounts = notModifiedCounts;
        this.overrides = overrides;
        this.stopping = stopping;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        clients.add(exchange.getRemoteAddress());
        String path = exchange.getRequestURI().getPath();
        requestCounts.computeIfAbsent(path == null ? "" : path, key -> new AtomicInteger()).incrementAndGet();
        String method = exchange.getRequestMethod();
        boolean head = method.equals("HEAD");
        if (!head && !method.equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            sendText(exchange, 405, "method not allowed: " + method, false);
            return;
        }
        Fault fault = path == null ? null : overrides.get(path);
        if (fault == null) {
            serve(exchange, path, head);
            return;
        }
        switch (fault.kind()) {
            case STATUS -> sendText(exchange, fault.status(), "injected fault: status " + fault.status(), head);
            case BODY -> sendBytes(exchange, contentType(path), fault.body(), head);
            case TRUNCATE -> servePrefix(exchange, path, fault.truncateAfter(), head, false);
            case STALL -> servePrefix(exchange, path, fault.truncateAfter(), head, true);
            case DELAY -> {
                if (!awaitStop(fault.delay().toNanos())) {
                    serve(exchange, path, head);
                } else {
                    exchange.close();
                }
            }
            case HANG -> {
                awaitStop(Long.MAX_VALUE);
                exchange.close();
            }
        }
    }

    private void serve(HttpExchange exchange, String path, boolean head) throws IOException {
        StaticPaths.Resolution resolution = paths.resolve(path);
        switch (resolution.outcome()) {
            case BAD_REQUEST -> sendText(exchange, 400, "bad request path", head);
            case NOT_FOUND -> sendText(exchange, 404, "not found: " + path, head);
            case REDIRECT -> {
                exchange.getResponseHeaders().set("Location", resolution.location());
                sendText(exchange, 301, "moved to " + resolution.location(), head);
            }
            case FILE -> sendFile(exchange, resolution.file(), head);
        }
    }

    private void sendFile(HttpExchange exchange, Path file, boolean head) throws IOException {
        long size = Files.size(file);
        // A validator like nginx's (size and mtime), so clients can revalidate with If-None-Match.
        String etag = "\"" + Long.toHexString(Files.getLastModifiedTime(file).toMillis()) + "-" + Long.toHexString(size) + "\"";
        exchange.getResponseHeaders().set("ETag", etag);
        if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
            notModifiedCounts.computeIfAbsent(exchange.getRequestURI().getPath(), key -> new AtomicInteger()).incrementAndGet();
            exchange.sendResponseHeaders(304, -1);
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", contentType(file.getFileName().toString()));
        if (head) {
            sendHeadersOnly(exchange, 200, size);
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            exchange.sendResponseHeaders(200, bodyLength(size));
            try (OutputStream out = exchange.getResponseBody()) {
                copy(in, out, size);
            }
        }
    }

    /**
     * Advertises the full length, sends a prefix, (if {@code stall}, waits until the server stops,) then fails the
     * exchange: HttpServer answers a handler exception by closing the connection, which is exactly an upstream dying
     * mid-body.
     */
    private void servePrefix(HttpExchange exchange, String path, long sendBytes, boolean head, boolean stall)
            throws IOException {
        StaticPaths.Resolution resolution = paths.resolve(path);
        if (head || resolution.outcome() != StaticPaths.Outcome.FILE) {
            serve(exchange, path, head);
            return;
        }
        Path file = resolution.file();
        long size = Files.size(file);
        exchange.getResponseHeaders().set("Content-Type", contentType(file.getFileName().toString()));
        try (InputStream in = Files.newInputStream(file)) {
            exchange.sendResponseHeaders(200, bodyLength(size));
            OutputStream out = exchange.getResponseBody();
            copy(in, out, Math.min(sendBytes, size));
            out.flush();
            if (stall) {
                awaitStop(Long.MAX_VALUE);
            }
        }
        throw new IOException("injected fault: connection closed after " + sendBytes + " of " + size + " bytes");
    }

    private static void copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long remaining = limit;
        while (remaining > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                throw new IOException("file shrank while being served");
            }
            out.write(buffer, 0, n);
            remaining -= n;
        }
    }

    private static void sendText(HttpExchange exchange, int status, String message, boolean head) throws IOException {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        if (status == 204 || status == 304) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        sendBody(exchange, status, body, head);
    }

    private static void sendBytes(HttpExchange exchange, String contentType, byte[] body, boolean head)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        sendBody(exchange, 200, body, head);
    }

    private static void sendBody(HttpExchange exchange, int status, byte[] body, boolean head) throws IOException {
        if (head) {
            sendHeadersOnly(exchange, status, body.length);
            return;
        }
        exchange.sendResponseHeaders(status, bodyLength(body.length));
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** HttpServer refuses a length argument for HEAD; the header is set by hand so HEAD reports the GET length. */
    private static void sendHeadersOnly(HttpExchange exchange, int status, long length) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Length", Long.toString(length));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /** In HttpServer's API 0 means chunked and -1 means empty, so an empty body must be passed as -1. */
    private static long bodyLength(long size) {
        return size == 0 ? -1 : size;
    }

    private static String contentType(String fileName) {
        return fileName.endsWith(".html") ? "text/html; charset=utf-8" : "application/octet-stream";
    }

    private boolean awaitStop(long nanos) {
        try {
            return stopping.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
