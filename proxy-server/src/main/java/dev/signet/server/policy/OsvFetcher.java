package dev.signet.server.policy;

import dev.signet.policy.OsvFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the configured OSV export ({@code policy.osv-url}) and imports it through {@link PolicyState}: a download
 * that fails, is too large or is not a valid export is logged and changes nothing (the previous database stays in
 * force). Runs on a worker; one fetch at a time.
 */
final class OsvFetcher {

    private static final Logger log = LoggerFactory.getLogger(OsvFetcher.class);
    /** PyPI's all.zip is tens of MiB; anything far past that is not it. */
    static final long MAX_BYTES = 1L << 30;

    private final URI url;
    private final PolicyState state;
    private final Executor workers;
    private final AtomicBoolean running = new AtomicBoolean();

    OsvFetcher(URI url, PolicyState state, Executor workers) {
        this.url = url;
        this.state = state;
        this.workers = workers;
    }

    void fetchInBackground() {
        if (running.compareAndSet(false, true)) {
            CompletableFuture.runAsync(this::fetch, workers).whenComplete((done, error) -> running.set(false));
        }
    }

    /** Blocking: one download and import; returns the number of advisories now in force, or -1 when refused. */
    int fetch() {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(url)
                    .timeout(Duration.ofMinutes(10)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    log.warn("policy: OSV fetch of {} answered {}; the previous database stays in force", url,
                            response.statusCode());
                    return -1;
                }
                int count = state.importAdvisories(bounded(body));
                log.info("policy: imported {} advisories from {}", count, url);
                return count;
            }
        } catch (OsvFormatException e) {
            log.warn("policy: refused the OSV export from {}: {}; the previous database stays in force", url, e.getMessage());
        } catch (IOException e) {
            log.warn("policy: OSV fetch of {} failed: {}; the previous database stays in force", url, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    private static byte[] bounded(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (out.size() + (long) n > MAX_BYTES) {
                throw new IOException("larger than " + (MAX_BYTES >> 20) + " MiB");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
