package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.testing.GeneratedIndexServer;
import dev.signet.server.testing.Http;
import dev.signet.server.testing.SignetProcess;
import dev.signet.sig.MinisignKeyPair;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Page memory has a byte budget (issue 10, item 11): with {@code -Xmx512m}, sixteen distinct 40 MB pages used to make
 * 11 of 16 requests fail with {@code 500 internal error: OutOfMemoryError}, unlogged. The same at a smaller scale, in
 * a separate JVM with a small heap: many large distinct pages at once, every answer a 200 or a 503 with a reason.
 */
class PageMemoryIT {

    /** About 9 MB of JSON per page (each file is some 300 bytes), well under the default max-page-size. */
    private static final int FILES_PER_PAGE = 30_000;
    private static final int PAGES_AT_ONCE = 16;
    private static final String HEAP = "-Xmx160m";

    @TempDir
    Path dir;

    @Test
    void manyLargeDistinctPagesAtOnceAreAnsweredWithoutRunningOutOfMemory() throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        try (GeneratedIndexServer upstream = GeneratedIndexServer.start(FILES_PER_PAGE, key.secretKey());
             SignetProcess signet = SignetProcess.start(List.of(HEAP),
                     List.of("serve", "--upstream", upstream.simpleUri().toString(),
                             "--trusted-key", key.publicKey().encoded(),
                             "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
                             "--cache-dir", dir.resolve("cache").toString(),
                             // Memory is what this test is about, not the metadata pre-check.
                             "--set", "metadata-checks-per-page=0",
                             // A loaded test machine may take a while to generate sixteen large pages at once.
                             "--set", "upstream-timeouts.first-byte=3m", "--set", "upstream-timeouts.idle=3m"))) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<HttpResponse<String>> answers = new ArrayList<>();
            List<URI> refused = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
                for (int i = 0; i < PAGES_AT_ONCE; i++) {
                    URI page = URI.create(signet.simpleUrl() + "project-" + round + "-" + i + "/");
                    pending.add(client.sendAsync(HttpRequest.newBuilder(page).timeout(Duration.ofMinutes(3))
                            .header("Accept", GeneratedIndexServer.JSON).build(), HttpResponse.BodyHandlers.ofString()));
                }
                pending.forEach(p -> answers.add(p.join()));
            }
            answers.stream().filter(a -> a.statusCode() == 503).forEach(a -> refused.add(a.uri()));

            String log = String.join("\n", signet.output().subList(Math.max(0, signet.output().size() - 40), signet.output().size()));
            assertThat(answers).as("every page is a 200, or a 503 with a reason; never a 500; log:\n" + log)
                    .allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isIn(200, 503));
            assertThat(answers.stream().filter(a -> a.statusCode() == 503))
                    .allSatisfy(a -> assertThat(a.body()).startsWith("busy: "));
            // As an installer does, a refused page is asked for again, one at a time: then it is served.
            for (URI page : refused) {
                HttpResponse<String> retried = Http.get(page.toString(), "Accept", GeneratedIndexServer.JSON);
                assertThat(retried.statusCode()).as(page + ": " + retried.body()).isEqualTo(200);
            }
            assertThat(signet.isAlive()).isTrue();
            String metrics = Http.get("http://127.0.0.1:" + signet.adminPort() + "/metrics").body();
            assertThat(metrics).as("no OutOfMemoryError anywhere").contains("signet_jvm_oom_total 0.0");
            assertThat(signet.output()).noneMatch(line -> line.contains("OutOfMemoryError") || line.contains("out of memory"));

            // Pages asked for again come from memory or disk, within the cache's budget.
            assertThat(Http.get(signet.simpleUrl() + "project-0-0/", "Accept", GeneratedIndexServer.JSON).statusCode()).isEqualTo(200);
        }
    }
}
