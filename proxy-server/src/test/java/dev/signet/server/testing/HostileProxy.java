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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A hostile cache between Signet and its upstream (a reverse proxy, as a CDN or a site's Varnish is): it relays
 * every request to the origin, except that the test may make it answer chosen paths with other bytes: an older
 * signed page, another project's page, a page with a version removed.
 */
public final class HostileProxy implements AutoCloseable {

    private final URI origin;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final HttpClient client = HttpClient.newHttpClient();
    private final Map<String, byte[]> overrides = new ConcurrentHashMap<>();

    private HostileProxy(URI origin) throws IOException {
        this.origin = origin;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::relay);
        server.setExecutor(threads);
        server.start();
    }

    /** @param origin the upstream's base, e.g. {@code http://127.0.0.1:P/} */
    public static HostileProxy start(URI origin) throws IOException {
        return new HostileProxy(origin);
    }

    /** Its own base URI; Signet's upstream is {@code base + "simple/"}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** Answers {@code path} (e.g. {@code /simple/six/index.json}) with {@code body} from now on. */
    public void answer(String path, byte[] body) {
        overrides.put(path, body.clone());
    }

    /** Serves {@code signed} in place of the project's real page and signature. */
    public void replace(SignedPages.Signed signed, String project) {
        answer("/simple/" + project + "/index.json", signed.page());
        answer("/simple/" + project + "/index.json.minisig", signed.signature());
    }

    public void relayEverything() {
        overrides.clear();
    }

    private void relay(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            byte[] forged = overrides.get(path);
            int status;
            byte[] body;
            String type = null;
            if (forged != null) {
                status = 200;
                body = forged;
            } else {
                HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(origin.resolve(path.substring(1)))
                        .header("Accept", exchange.getRequestHeaders().getFirst("Accept") == null ? "*/*"
                                : exchange.getRequestHeaders().getFirst("Accept")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                status = response.statusCode();
                body = response.body();
                type = response.headers().firstValue("content-type").orElse(null);
            }
            if (type != null) {
                exchange.getResponseHeaders().set("Content-Type", type);
            }
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
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
