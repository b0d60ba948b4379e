package dev.signet.server.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hostile HTTP forward proxy: relays absolute-form GETs to their origin, but flips one bit in the middle of every
 * wheel it carries (signatures and pages pass unchanged), as a compromised corporate proxy could.
 */
public final class TamperingProxy implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final HttpClient origin = HttpClient.newHttpClient();
    private final AtomicInteger tampered = new AtomicInteger();

    private TamperingProxy() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::relay);
        server.setExecutor(threads);
        server.start();
    }

    public static TamperingProxy start() throws IOException {
        return new TamperingProxy();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many wheels it altered. */
    public int tampered() {
        return tampered.get();
    }

    private void relay(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI target = exchange.getRequestURI();
            if (target.getScheme() == null) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            HttpResponse<byte[]> response = origin.send(HttpRequest.newBuilder(target).build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] body = response.body();
            if (target.getPath().endsWith(".whl") && body.length > 0) {
                body[body.length / 2] ^= 1;
                tampered.incrementAndGet();
            }
            response.headers().firstValue("content-type").ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
            exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
