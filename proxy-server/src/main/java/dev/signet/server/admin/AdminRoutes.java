package dev.signet.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.index.ProjectName;
import dev.signet.server.artifact.FillRegistry;
import dev.signet.server.artifact.ArtifactService;
import dev.signet.server.index.IndexService;
import dev.signet.server.metrics.SignetMetrics;
import dev.signet.store.ArtifactKey;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the admin listener answers, as plain blocking calls (the handler runs them on a worker): probes, metrics, the
 * fills in progress and the purge operations. Authorization is decided before a route is called; see {@link AdminHandler}.
 */
final class AdminRoutes {

    private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: status, content type and body text. */
    record Answer(HttpResponseStatus status, String contentType, String body) {
        static Answer text(HttpResponseStatus status, String line) {
            return new Answer(status, "text/plain; charset=utf-8", line + "\n");
        }
    }

    private final Readiness readiness;
    private final SignetMetrics metrics;
    private final IndexService index;
    private final ArtifactService artifacts;
    /** The policy's calls, or null when the server has none. */
    private final PolicyRoutes policy;

    /** The status page's HTML, or {@code null} when this listener has none. */
    private final Supplier<String> statusPage;

    AdminRoutes(Readiness readiness, SignetMetrics metrics, IndexService index, ArtifactService artifacts) {
        this(readiness, metrics, index, artifacts, null, null);
    }

    AdminRoutes(Readiness readiness, SignetMetrics metrics, IndexService index, ArtifactService artifacts,
                Supplier<String> statusPage, PolicyRoutes policy) {
        this.statusPage = statusPage;
        this.readiness = readiness;
        this.metrics = metrics;
        this.index = index;
        this.artifacts = artifacts;
        this.policy = policy;
    }

    /** Whether {@code path} changes state or shows the policy (and so always needs the token). */
    static boolean isStateChanging(String path) {
        return path.startsWith("/purge/") || PolicyRoutes.handles(path);
    }

    /**
     * Read-only calls: open unless {@code admin-open-probes} is false. The status page is one: it shows no more than
     * {@code /metrics} and {@code /fills} do, and the settings only as {@code check-config} prints them, secrets
     * redacted; with {@code admin-open-probes: false} it needs the bearer token like them.
     */
    static boolean isProbe(String path) {
        return path.equals("/livez") || path.equals("/readyz") || path.equals("/metrics") || path.equals("/fills")
                || isStatusPage(path);
    }

    static boolean isStatusPage(String path) {
        return path.equals("/") || path.equals("/status");
    }

    Answer answer(HttpMethod method, String path, String accept) throws IOException {
        if (isProbe(path)) {
            if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
                return Answer.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed: use GET");
            }
            return switch (path) {
                case "/livez" -> Answer.text(HttpResponseStatus.OK, "alive");
                case "/readyz" -> ready();
                case "/fills" -> fills();
                case "/", "/status" -> status();
                default -> new Answer(HttpResponseStatus.OK, SignetMetrics.contentType(accept), metrics.scrape(accept));
            };
        }
        if (policy != null && PolicyRoutes.handles(path)) {
            return policy.answer(method, path);
        }
        if (isStateChanging(path) && !PolicyRoutes.handles(path)) {
            if (!HttpMethod.POST.equals(method)) {
                return Answer.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed: use POST");
            }
            return purge(path.substring("/purge/".length()));
        }
        return Answer.text(HttpResponseStatus.NOT_FOUND,
                "no such admin path (try /status, /livez, /readyz, /metrics, /fills, /purge/page/P, /purge/artifact/P/FILE, /purge/all)");
    }

    private Answer status() {
        if (statusPage == null) {
            return Answer.text(HttpResponseStatus.NOT_FOUND, "no status page on this listener");
        }
        return new Answer(HttpResponseStatus.OK, "text/html; charset=utf-8", statusPage.get());
    }

    private Answer ready() {
        List<String> problems = readiness.problems();
        if (problems.isEmpty()) {
            return Answer.text(HttpResponseStatus.OK, "ready");
        }
        return Answer.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "not ready: " + String.join("; ", problems));
    }

    /** The fills in progress as JSON, longest-running first; {@code total} is null when the index lists no size. */
    private Answer fills() throws JsonProcessingException {
        List<Map<String, Object>> fills = new java.util.ArrayList<>();
        for (FillRegistry.Status fill : artifacts.fillRegistry().inProgress()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("project", fill.project());
            entry.put("file", fill.file());
            entry.put("bytes", fill.bytes());
            entry.put("total", fill.total());
            entry.put("elapsed_seconds", Math.round(fill.elapsedSeconds() * 1000) / 1000.0);
            entry.put("bytes_per_second", Math.round(fill.bytesPerSecond()));
            entry.put("waiting", fill.waiting());
            fills.add(entry);
        }
        return new Answer(HttpResponseStatus.OK, "application/json", JSON.writeValueAsString(Map.of("fills", fills)) + "\n");
    }

    private Answer purge(String what) throws IOException {
        if (what.equals("all")) {
            index.purgeAll();
            long removed = artifacts.purgeAll();
            log.info("admin: purged every index page and {} cached artifacts", removed);
            return Answer.text(HttpResponseStatus.OK, "purged every index page and " + removed + " artifacts");
        }
        String[] parts = what.split("/", -1);
        if (parts.length == 2 && parts[0].equals("page")) {
            String project = project(parts[1]);
            if (project == null) {
                return Answer.text(HttpResponseStatus.BAD_REQUEST, "not a valid project name");
            }
            index.purge(project);
            log.info("admin: purged the index page of {}", project);
            return Answer.text(HttpResponseStatus.OK, "purged the index page of " + project);
        }
        if (parts.length == 3 && parts[0].equals("artifact")) {
            String project = project(parts[1]);
            String file = decode(parts[2]);
            ArtifactKey key;
            try {
                key = new ArtifactKey(project, file);
            } catch (IllegalArgumentException | NullPointerException e) {
                return Answer.text(HttpResponseStatus.BAD_REQUEST, "not a valid project and artifact file name");
            }
            boolean removed = artifacts.purge(key);
            log.info("admin: purge of artifact {}/{}: {}", project, file, removed ? "removed" : "was not cached");
            return removed ? Answer.text(HttpResponseStatus.OK, "purged " + project + "/" + file)
                    : Answer.text(HttpResponseStatus.NOT_FOUND, "not cached: " + project + "/" + file);
        }
        return Answer.text(HttpResponseStatus.NOT_FOUND, "expected /purge/page/PROJECT, /purge/artifact/PROJECT/FILE or /purge/all");
    }

    private static String project(String segment) {
        String raw = decode(segment);
        return raw != null && ProjectName.isValid(raw) ? ProjectName.normalize(raw) : null;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
