package dev.signet.server.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 691 JSON-only upstream for the pages of a {@code StaticIndex}: it answers {@code Accept:
 * application/vnd.pypi.simple.v1+json} with JSON pages (api-version 1.1 with sizes, upload times and versions) and
 * anything else with {@code 406}. File URLs are absolute and point at the static server that holds the files, on
 * another port, as PyPI's pages point at its file host. Pages are built from the static index's own HTML, whose
 * shape this test code controls, plus optional yank reasons.
 */
public final class JsonIndexServer implements AutoCloseable {

    public static final String JSON = "application/vnd.pypi.simple.v1+json";
    private static final Pattern LINK = Pattern.compile(
            "<a href=\"\\.\\./\\.\\./packages/([^\"#]+)#sha256=([0-9a-f]{64})\"([^>]*)>");
    private static final Pattern REQUIRES_PYTHON = Pattern.compile("data-requires-python=\"([^\"]*)\"");
    private static final Pattern CORE_METADATA = Pattern.compile("data-core-metadata=\"sha256=([0-9a-f]{64})\"");
    public static final String UPLOAD_TIME = "2024-01-02T03:04:05.678901Z";

    /** Upload times a test puts on the page instead of {@link #UPLOAD_TIME} (unsigned, as any upstream could). */
    private final java.util.concurrent.ConcurrentHashMap<String, String> uploadTimes = new java.util.concurrent.ConcurrentHashMap<>();

    /** From now on the page says {@code filename} was uploaded at {@code time}. */
    public void forgeUploadTime(String filename, String time) {
        uploadTimes.put(filename, time);
    }

    /** PEP 740 provenance objects by file name, served at {@link #integrityBase} as PyPI's Integrity API does. */
    private final ConcurrentHashMap<String, byte[]> provenance = new ConcurrentHashMap<>();
    private volatile URI integrityBase;

    /**
     * From now on the page links {@code filename}'s provenance ({@code "provenance"}: an absolute URL under
     * {@code base}, e.g. this server's TLS front, as PyPI's pages do) and {@code GET
     * /integrity/<project>/<version>/<filename>/provenance} answers {@code json}. Without it the page says {@code null}.
     */
    public void offerProvenance(String filename, byte[] json, URI base) {
        integrityBase = base;
        provenance.put(filename, json.clone());
    }

    /** The page keeps linking {@code filename}'s provenance, but the Integrity API answers 404 for it. */
    public void withdrawProvenance(String filename) {
        provenance.put(filename, new byte[0]);
    }

    private final Path root;
    private final URI filesBase;
    private final Map<String, String> yankReasons;
    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final ObjectMapper mapper = new ObjectMapper();

    private JsonIndexServer(Path root, URI filesBase, Map<String, String> yankReasons) throws IOException {
        this.root = root;
        this.filesBase = filesBase;
        this.yankReasons = Map.copyOf(yankReasons);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(workers);
        server.start();
    }

    /** @param filesBase where the files live, e.g. {@code http://127.0.0.1:P/} of the static server */
    public static JsonIndexServer start(Path indexRoot, URI filesBase, Map<String, String> yankReasons) throws IOException {
        return new JsonIndexServer(indexRoot, filesBase, yankReasons);
    }

    public URI simpleUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/simple/");
    }

    public int requestCount(String path) {
        AtomicInteger n = counts.get(path);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        try (exchange) {
            Matcher integrity = Pattern.compile("/integrity/[^/]+/[^/]+/([^/]+)/provenance").matcher(path);
            if (integrity.matches()) {
                byte[] body = provenance.get(integrity.group(1));
                if (accept == null || !accept.contains("application/vnd.pypi.integrity.v1+json")) {
                    send(exchange, 406, "text/plain", "the Integrity API speaks application/vnd.pypi.integrity.v1+json");
                } else if (body == null || body.length == 0) {
                    send(exchange, 404, "application/json", "{\"message\": \"No provenance available\"}");
                } else {
                    send(exchange, 200, "application/vnd.pypi.integrity.v1+json", body);
                }
                return;
            }
            if (accept == null || !accept.contains(JSON)) {
                send(exchange, 406, "text/plain", "this upstream speaks only " + JSON);
                return;
            }
            if (path.equals("/simple/")) {
                send(exchange, 200, JSON, rootPage());
                return;
            }
            Matcher project = Pattern.compile("/simple/([a-z0-9-]+)/").matcher(path);
            Path html = project.matches() ? root.resolve("simple").resolve(project.group(1)).resolve("index.html") : null;
            if (html == null || !Files.isRegularFile(html)) {
                send(exchange, 404, "text/plain", "not found");
                return;
            }
            send(exchange, 200, JSON, projectPage(project.group(1), Files.readString(html)));
        }
    }

    private String rootPage() throws IOException {
        ObjectNode page = mapper.createObjectNode();
        page.putObject("meta").put("api-version", "1.0");
        ArrayNode projects = page.putArray("projects");
        try (var dirs = Files.list(root.resolve("simple"))) {
            dirs.filter(Files::isDirectory).sorted().forEach(d -> projects.addObject().put("name", d.getFileName().toString()));
        }
        return mapper.writeValueAsString(page);
    }

    private String projectPage(String project, String html) throws IOException {
        ObjectNode page = mapper.createObjectNode();
        page.putObject("meta").put("api-version", "1.1");
        page.put("name", project);
        ArrayNode files = page.putArray("files");
        Set<String> versions = new LinkedHashSet<>();
        Matcher link = LINK.matcher(html);
        while (link.find()) {
            String filename = link.group(1);
            ObjectNode file = files.addObject();
            file.put("filename", filename);
            file.put("url", filesBase.resolve("packages/" + filename).toString());
            file.putObject("hashes").put("sha256", link.group(2));
            Matcher rp = REQUIRES_PYTHON.matcher(link.group(3));
            if (rp.find()) {
                file.put("requires-python", unescape(rp.group(1)));
            }
            String reason = yankReasons.get(filename);
            if (reason != null) {
                file.put("yanked", reason);
            } else {
                file.put("yanked", false);
            }
            Matcher cm = CORE_METADATA.matcher(link.group(3));
            if (cm.find()) {
                file.putObject("core-metadata").put("sha256", cm.group(1));
            } else {
                file.put("core-metadata", false);
            }
            file.put("size", Files.size(root.resolve("packages").resolve(filename)));
            file.put("upload-time", uploadTimes.getOrDefault(filename, UPLOAD_TIME));
            if (provenance.containsKey(filename)) {
                file.put("provenance", integrityBase.resolve("integrity/" + project + "/"
                        + filename.split("-")[1].replaceAll("\\.(tar\\.gz|zip)$", "") + "/" + filename + "/provenance").toString());
            } else {
                file.putNull("provenance");
            }
            versions.add(filename.split("-")[1]);
        }
        ArrayNode v = page.putArray("versions");
        versions.forEach(v::add);
        return mapper.writeValueAsString(page);
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
