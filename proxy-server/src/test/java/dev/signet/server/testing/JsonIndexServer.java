package dev.signet.server.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.signet.index.ApiVersion;
import dev.signet.index.DistributionFile;
import dev.signet.index.IndexFormatException;
import dev.signet.index.JsonIndexParser;
import dev.signet.index.JsonIndexRenderer;
import dev.signet.index.ProjectList;
import dev.signet.index.ProjectPage;
import dev.signet.index.Yank;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * another port, as PyPI's pages point at its file host. Pages are the static index's own {@code index.json} (written
 * by the one index writer, {@code IndexPublisher}), re-rendered by the same renderer with those URLs, a fixed upload
 * time (or one a test forges) and optional yank reasons: this class writes no JSON of its own.
 */
public final class JsonIndexServer implements AutoCloseable {

    public static final String JSON = "application/vnd.pypi.simple.v1+json";
    private static final Pattern PROJECT = Pattern.compile("/simple/([a-z0-9-]+)/");
    public static final String UPLOAD_TIME = "2024-01-02T03:04:05.678901Z";

    /** Upload times a test puts on the page instead of {@link #UPLOAD_TIME} (unsigned, as any upstream could). */
    private final ConcurrentHashMap<String, String> uploadTimes = new ConcurrentHashMap<>();

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
            Matcher project = PROJECT.matcher(path);
            Path json = project.matches() ? root.resolve("simple").resolve(project.group(1)).resolve("index.json") : null;
            if (json == null || !Files.isRegularFile(json)) {
                send(exchange, 404, "text/plain", "not found");
                return;
            }
            send(exchange, 200, JSON, projectPage(project.group(1), Files.readAllBytes(json)));
        }
    }

    private byte[] rootPage() throws IOException {
        List<String> projects;
        try (var dirs = Files.list(root.resolve("simple"))) {
            projects = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
                    .filter(name -> !name.startsWith(".")).sorted().toList();
        }
        return JsonIndexRenderer.renderRoot(new ProjectList(projects, ApiVersion.V1_0));
    }

    /** The static index's page with this upstream's file URLs, upload times and yanks. */
    private byte[] projectPage(String project, byte[] published) throws IOException {
        ProjectPage page;
        try {
            page = JsonIndexParser.parseProject(published, filesBase.resolve("simple/" + project + "/"));
        } catch (IndexFormatException e) {
            throw new IOException("the static index's page of " + project + " does not parse", e);
        }
        List<DistributionFile> files = new ArrayList<>();
        for (DistributionFile file : page.files()) {
            String reason = yankReasons.get(file.filename());
            files.add(new DistributionFile(file.filename(), filesBase.resolve("packages/" + file.filename()),
                    file.hashes(), file.requiresPython(), reason == null ? file.yanked() : new Yank(reason),
                    file.coreMetadata(), file.size(), uploadTimes.getOrDefault(file.filename(), UPLOAD_TIME),
                    provenanceUrl(project, file)));
        }
        return JsonIndexRenderer.renderProject(new ProjectPage(page.name(), files, page.versions(), ApiVersion.V1_1),
                file -> file.url().toString());
    }

    /** Where the Integrity API answers for a file offered by {@link #offerProvenance}, else the published page's. */
    private String provenanceUrl(String project, DistributionFile file) {
        String filename = file.filename();
        if (!provenance.containsKey(filename)) {
            return file.provenance();
        }
        String version = filename.split("-")[1].replaceAll("\\.(tar\\.gz|zip)$", "");
        return integrityBase.resolve("integrity/" + project + "/" + version + "/" + filename + "/provenance").toString();
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
