package dev.signet.server.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.signet.sig.MinisignSecretKey;
import dev.signet.sig.MinisignSigner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback upstream whose project pages are generated, as large as a test needs: every project name has a PEP 691
 * JSON page of {@code filesPerPage} wheels {@code <project>-<i>.0-py3-none-any.whl}, each offering PEP 658 metadata
 * whose {@code .metadata.minisig} is signed with the given key. It counts metadata signature requests and can hold
 * them unanswered ({@link #holdMetadataSignatures()}) to show who waits for them. The wheels themselves are not served.
 */
public final class GeneratedIndexServer implements AutoCloseable {

    public static final String JSON = "application/vnd.pypi.simple.v1+json";
    private static final Pattern PROJECT = Pattern.compile("/simple/([a-z0-9-]+)/");
    private static final Pattern SIGNATURE = Pattern.compile("/packages/([^/]+)\\.metadata\\.minisig");

    private final int filesPerPage;
    private final MinisignSecretKey key;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicInteger pageRequests = new AtomicInteger();
    private final AtomicInteger signatureRequests = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    private GeneratedIndexServer(int filesPerPage, MinisignSecretKey key) throws IOException {
        this.filesPerPage = filesPerPage;
        this.key = key;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public static GeneratedIndexServer start(int filesPerPage, MinisignSecretKey key) throws IOException {
        return new GeneratedIndexServer(filesPerPage, key);
    }

    public URI simpleUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/simple/");
    }

    /** The file name of wheel {@code i} (0-based; the highest is the newest, listed last) of {@code project}. */
    public static String filename(String project, int i) {
        return project.replace('-', '_') + "-" + i + ".0-py3-none-any.whl";
    }

    public int pageRequests() {
        return pageRequests.get();
    }

    public int metadataSignatureRequests() {
        return signatureRequests.get();
    }

    /** Metadata signature requests waiting, unanswered, for {@link #releaseMetadataSignatures()}. */
    public int heldMetadataSignatures() {
        return held.get();
    }

    public void holdMetadataSignatures() {
        gate = new CountDownLatch(1);
    }

    public void releaseMetadataSignatures() {
        gate.countDown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            Matcher project = PROJECT.matcher(path);
            if (project.matches()) {
                pageRequests.incrementAndGet();
                send(exchange, 200, JSON, page(project.group(1)));
                return;
            }
            Matcher signature = SIGNATURE.matcher(path);
            if (signature.matches()) {
                signatureRequests.incrementAndGet();
                held.incrementAndGet();
                try {
                    gate.await(5, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    held.decrementAndGet();
                }
                String metadataName = signature.group(1) + ".metadata";
                byte[] sig = MinisignSigner.sign(key, new ByteArrayInputStream(metadata(signature.group(1))), metadataName,
                        null, "generated").encode();
                send(exchange, 200, "application/octet-stream", sig);
                return;
            }
            send(exchange, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private byte[] page(String project) throws IOException {
        ObjectNode page = mapper.createObjectNode();
        page.putObject("meta").put("api-version", "1.0");
        page.put("name", project);
        ArrayNode files = page.putArray("files");
        URI packages = simpleUri().resolve("/packages/");
        for (int i = 0; i < filesPerPage; i++) {
            String filename = filename(project, i);
            ObjectNode file = files.addObject();
            file.put("filename", filename);
            file.put("url", packages.resolve(filename).toString());
            file.putObject("hashes").put("sha256", sha256(filename.getBytes(StandardCharsets.UTF_8)));
            file.putObject("core-metadata").put("sha256", sha256(metadata(filename)));
        }
        return mapper.writeValueAsBytes(page);
    }

    private static byte[] metadata(String wheel) {
        String[] parts = wheel.split("-");
        return ("Metadata-Version: 2.1\nName: " + parts[0] + "\nVersion: " + parts[1] + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        gate.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
