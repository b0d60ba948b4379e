package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.events.SignetListener;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.demo.Fault;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.StaticIndex;
import dev.signet.server.demo.StaticIndexServer;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Eventually;
import dev.signet.server.testing.Http;
import dev.signet.server.testing.JsonIndexServer;
import dev.signet.server.testing.PacedRelay;
import dev.signet.server.testing.Processes;
import dev.signet.sig.MinisignKeyPair;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's status page on the admin port, loaded by a real browser (Debian's {@code chromium}, headless) while a
 * fill paced like a slow link is running and after a refusal: it shows the version, the upstream and its health, the
 * cache against its budget, the fill with its progress bar, bytes, total, rate and the waiting client, the refusal with
 * its reason, and the settings with the admin token redacted. A phone-sized screenshot is kept as a test artifact in
 * {@code proxy-server/target/status-page.png}.
 */
class StatusPageChromiumIT {

    private static final String SECRET_TOKEN = "s3cret-admin-token-do-not-show";
    private static final Path SCREENSHOT = Path.of("target", "status-page.png").toAbsolutePath();

    @Test
    void theStatusPageShowsARunningFillARefusalAndRedactedSettingsInHeadlessChromium(@TempDir Path dir) throws Exception {
        String chromium = chromium();
        // 24 MiB at 1 MiB/s: the fill runs for about 24 s, long enough to load the page while it is in progress.
        WheelBuilder slow = WheelBuilder.wheel("slowwheel", "1.0.0").padding(24L << 20, 3);
        WheelBuilder unsigned = WheelBuilder.wheel("unsignedwheel", "2.0.0");
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        StaticIndex index = StaticIndex.build(dir.resolve("index"), List.of(slow, unsigned),
                new MinisignArtifactSigner(key.secretKey()), false);
        try (StaticIndexServer files = StaticIndexServer.start(index.root(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             PacedRelay relay = PacedRelay.start(files.baseUri(), 1L << 20);
             JsonIndexServer pages = JsonIndexServer.start(index.root(), relay.baseUri(), Map.of())) {
            files.override("/packages/" + unsigned.fileName() + ".minisig", Fault.status(404));
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("listen", "127.0.0.1:0");
            s.put("admin-listen", "127.0.0.1:0");
            s.put("upstream", pages.simpleUri().toString());
            s.put("trusted-keys", List.of(key.publicKey().encoded()));
            s.put("cache-dir", dir.resolve("cache").toString());
            s.put("admin-token", SECRET_TOKEN);
            // The waiting client stays one request for the whole fill (no redirect hops), so the page counts it.
            s.put("fill-redirect-after", "off");
            try (SignetServer signet = SignetServer.start(ConfigLoader.load(null, Map.of(), s),
                    ConfigLoader.describe(null, Map.of(), s), SignetListener.NONE)) {
                String base = "http://127.0.0.1:" + signet.address().getPort();
                String admin = "http://127.0.0.1:" + signet.adminAddress().getPort();

                HttpResponse<String> refused = Http.get(base + "/packages/unsignedwheel/" + unsigned.fileName());
                assertThat(refused.statusCode()).isEqualTo(403);
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                CompletableFuture<HttpResponse<byte[]>> waiting = client.sendAsync(HttpRequest.newBuilder(
                        URI.create(base + "/packages/slowwheel/" + slow.fileName())).timeout(Duration.ofMinutes(3)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                Eventually.await("the slow fill on /fills with bytes and a waiting client", Duration.ofSeconds(60),
                        () -> runningFill(admin, slow.fileName()));

                Processes.Result dom = Processes.run(dir, browser(chromium, dir, "--dump-dom", admin + "/status"), 120);
                assertThat(dom.exitCode()).as(dom.output()).isZero();
                String html = dom.output();
                assertThat(html).contains("Signet status").contains("signet ")
                        .contains("id=\"readiness\" class=\"ok\">ready")
                        .contains(pages.simpleUri().toString()).contains("class=\"ok\">up")
                        .contains("Artifact cache").contains("Hit ratio, last 5 min");
                String fills = section(html, "fills");
                assertThat(fills).contains("Fills in progress (1)").contains("slowwheel / <b>" + slow.fileName() + "</b>")
                        .containsPattern("<progress value=\"[1-9]\\d*\" max=\"" + Files.size(index.root().resolve("packages")
                                .resolve(slow.fileName())) + "\"></progress>")
                        .containsPattern("\\d+\\.\\d MiB of 24\\.\\d MiB \\(\\d+%\\)").containsPattern("\\d+\\.\\d [KM]iB/s")
                        .contains("1 waiting");
                String refusals = section(html, "refusals");
                assertThat(refusals).contains("unsignedwheel / " + unsigned.fileName()).contains("missing_signature")
                        .contains("refused " + unsigned.fileName());
                String settings = section(html, "settings");
                assertThat(settings).contains("admin-token: &lt;redacted&gt;").contains("fill-redirect-after: off");
                assertThat(html).doesNotContain(SECRET_TOKEN);

                Files.createDirectories(SCREENSHOT.getParent());
                Files.deleteIfExists(SCREENSHOT);
                Processes.Result shot = Processes.run(dir, browser(chromium, dir, "--screenshot=" + SCREENSHOT,
                        "--window-size=412,1600", "--hide-scrollbars", admin + "/"), 120);
                assertThat(shot.exitCode()).as(shot.output()).isZero();
                byte[] png = Files.readAllBytes(SCREENSHOT);
                assertThat(png.length).as("a screenshot with something on it").isGreaterThan(10_000);
                assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");

                assertThat(waiting.get(3, TimeUnit.MINUTES).statusCode()).isEqualTo(200);
            }
        }
    }

    /** The status page needs no token by default (like /metrics), and the bearer token when probes are closed. */
    @Test
    void theStatusPageFollowsTheAdminProbeRules(@TempDir Path dir) throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("listen", "127.0.0.1:0");
        s.put("admin-listen", "127.0.0.1:0");
        s.put("upstream", "http://127.0.0.1:9/simple/");
        s.put("trusted-keys", List.of(key.publicKey().encoded()));
        s.put("cache-dir", dir.resolve("cache").toString());
        s.put("admin-token", SECRET_TOKEN);
        s.put("admin-open-probes", "false");
        try (SignetServer signet = SignetServer.start(ConfigLoader.load(null, Map.of(), s), SignetListener.NONE)) {
            String admin = "http://127.0.0.1:" + signet.adminAddress().getPort();
            assertThat(Http.get(admin + "/status").statusCode()).isEqualTo(401);
            assertThat(Http.get(admin + "/").statusCode()).isEqualTo(401);
            HttpResponse<String> page = Http.get(admin + "/status", "Authorization", "Bearer " + SECRET_TOKEN);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("cache-control")).hasValue("no-store");
            assertThat(page.body()).contains("not contacted yet")
                    .doesNotContain(SECRET_TOKEN);
        }
    }

    private static boolean runningFill(String admin, String file) {
        try {
            JsonNode fills = new ObjectMapper().readTree(Http.get(admin + "/fills").body()).get("fills");
            for (JsonNode fill : fills) {
                if (fill.get("file").asText().equals(file) && fill.get("bytes").asLong() > 0 && fill.get("waiting").asInt() >= 1) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String section(String html, String id) {
        int start = html.indexOf("<section id=\"" + id + "\"");
        assertThat(start).as("section " + id).isNotNegative();
        return html.substring(start, html.indexOf("</section>", start));
    }

    private static List<String> browser(String chromium, Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + dir.resolve("chromium-profile")));
        command.addAll(List.of(args));
        return command;
    }

    private static String chromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new AssertionError("this test needs Debian's chromium (apt-get install chromium; .ci/run installs it)");
    }
}
