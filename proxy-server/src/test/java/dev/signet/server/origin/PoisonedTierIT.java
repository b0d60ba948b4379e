package dev.signet.server.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.events.SignetListener;
import dev.signet.server.SignetServer;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.demo.Fault;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.StaticIndex;
import dev.signet.server.demo.StaticIndexServer;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Eventually;
import dev.signet.server.testing.HostileProxy;
import dev.signet.server.testing.HttpsPypi;
import dev.signet.server.testing.Minisign;
import dev.signet.server.testing.Pip;
import dev.signet.server.testing.Processes;
import dev.signet.server.testing.TestCertificates;
import dev.signet.server.testing.TlsFront;
import dev.signet.sig.MinisignKeyPair;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What neither a hostile tier nor a bad upstream can get past. Between origin and edge a hostile cache
 * ({@link HostileProxy}) swaps a signature or replays an older page: the edge refuses with the reason, caches
 * nothing, and pip fails. Above the origin, an upstream whose bytes do not match its sha256 or whose page gives none:
 * the origin refuses to sign (403, no-store) and publishes nothing.
 */
class PoisonedTierIT {

    private static final WheelBuilder ALPHA = WheelBuilder.wheel("poisonalpha", "1.0.0").padding(30_000, 41);
    private static final WheelBuilder BETA = WheelBuilder.wheel("poisonbeta", "1.0.0").padding(30_000, 42);
    /** Used by one test each, so that no other test has had the origin publish them. */
    private static final WheelBuilder GAMMA = WheelBuilder.wheel("poisongamma", "1.0.0").padding(30_000, 43);
    private static final WheelBuilder DELTA = WheelBuilder.wheel("poisondelta", "1.0.0").padding(30_000, 44);
    private static final WheelBuilder EPSILON = WheelBuilder.wheel("poisonepsilon", "1.0.0").padding(30_000, 45);
    private static final Pattern SERIAL = Pattern.compile("serial:([0-9]+)");

    @TempDir
    static Path dir;
    static StaticIndex index;
    static HttpsPypi pypi;
    static StaticIndexServer files;
    static HostileProxy hostileUpstream;
    static Minisign originKey;
    static SignetServer origin;
    static HostileProxy tier;
    static TestCertificates certs;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void chain() throws Exception {
        MinisignKeyPair upstreamKey = MinisignKeyPair.generate(new SecureRandom());
        index = StaticIndex.build(dir.resolve("pypi"), List.of(ALPHA, BETA, GAMMA, DELTA, EPSILON),
                new MinisignArtifactSigner(upstreamKey.secretKey()), true);
        // A hostile upstream too (relays everything unless told otherwise), to forge upstream pages.
        pypi = HttpsPypi.start(dir, index.root(), "127.0.0.1",
                pages -> (hostileUpstream = HostileProxy.start(pages)).baseUri());
        files = pypi.files();
        certs = pypi.certs();
        originKey = Minisign.generate(dir.resolve("origin-key"));
        Map<String, Object> settings = pypi.originSettings(originKey.secretKeyFile(), dir.resolve("origin-cache"));
        // Pages re-signed about every second, so that a test can hold an older genuine page to replay.
        settings.put("origin.page-expiry", "1h");
        settings.put("origin.page-refresh-before", "3599s");
        settings.put("index-ttl", "0s");
        origin = SignetServer.start(ConfigLoader.load(null, Map.of(), settings), SignetListener.NONE,
                InstantSource.system());
        tier = HostileProxy.start(URI.create("http://127.0.0.1:" + origin.address().getPort() + "/"));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {tier, origin, pypi, hostileUpstream}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @AfterEach
    void relayAgain() {
        tier.relayEverything();
        hostileUpstream.relayEverything();
        files.clearOverrides();
    }

    private static SignetServer edge(String name) throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("listen", "127.0.0.1:0");
        settings.put("admin-listen", "127.0.0.1:0");
        settings.put("admin-token", "poisoned-tier-test-token");
        settings.put("upstream", tier.baseUri() + "simple/");
        settings.put("trusted-keys", List.of("@" + originKey.publicKeyFile()));
        settings.put("page-keys", List.of("@" + originKey.publicKeyFile()));
        settings.put("signed-pages", "require");
        settings.put("cache-dir", dir.resolve("edge-" + name).toString());
        return SignetServer.start(ConfigLoader.load(null, Map.of(), settings), SignetListener.NONE,
                InstantSource.system());
    }

    private static String wheel(String project) {
        return index.fileNames().stream().filter(n -> n.startsWith(project + "-") && n.endsWith(".whl"))
                .findFirst().orElseThrow();
    }

    private static HttpResponse<byte[]> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static URI originBase() {
        return URI.create("http://127.0.0.1:" + origin.address().getPort() + "/");
    }

    private static List<String> cachedWheels(String edge) throws Exception {
        Path root = dir.resolve("edge-" + edge);
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> cached = Files.walk(root)) {
            return cached.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".whl")).toList();
        }
    }

    @Test
    void aSwappedSignatureIsRefusedAtTheEdgeNothingIsCachedAndPipFails() throws Exception {
        String alpha = wheel("poisonalpha");
        String beta = wheel("poisonbeta");
        // A genuine signature by the trusted key, of another file: the tier answers it for alpha.
        byte[] betaSignature = get(originBase().resolve("packages/" + beta + ".minisig")).body();
        tier.answer("/packages/" + alpha + ".minisig", betaSignature);
        try (SignetServer edge = edge("swapped")) {
            Processes.Result pip = Pip.install(dir, edge.simpleUrl(), dir.resolve("target-swapped"),
                    List.of("--no-deps"), "poisonalpha");
            assertThat(pip.exitCode()).as(pip.output()).isNotZero();
            assertThat(pip.output()).contains("403");
            HttpResponse<byte[]> direct = get(URI.create(edge.simpleUrl()).resolve("/packages/poisonalpha/" + alpha));
            assertThat(direct.statusCode()).isEqualTo(403);
            assertThat(new String(direct.body(), StandardCharsets.UTF_8)).contains(alpha).contains("file");
        }
        assertThat(cachedWheels("swapped")).isEmpty();
    }

    @Test
    void aReplayedOlderPageIsRefusedAsARollbackAndPipFails() throws Exception {
        URI page = originBase().resolve("simple/poisonbeta/index.json");
        URI signature = originBase().resolve("simple/poisonbeta/index.json.minisig");
        byte[] oldPage = get(page).body();
        byte[] oldSignature = get(signature).body();
        long oldSerial = serial(oldSignature);
        // The origin re-signs (higher serial) about every second here; wait for a newer one.
        Eventually.await("the origin signs poisonbeta's page again", Duration.ofSeconds(30),
                () -> serialQuietly(signature) > oldSerial);
        try (SignetServer edge = edge("replayed")) {
            Processes.Result first = Pip.install(dir, edge.simpleUrl(), dir.resolve("target-replayed-1"),
                    List.of("--no-deps"), "poisonbeta");
            assertThat(first.exitCode()).as(first.output()).isZero();
            // The edge forgets the page it holds (its serial record stays); the tier now replays the older one.
            HttpResponse<String> purge = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + edge.adminAddress().getPort() + "/purge/all")).header("Authorization",
                    "Bearer poisoned-tier-test-token").POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(purge.statusCode()).as(purge.body()).isEqualTo(200);
            tier.answer("/simple/poisonbeta/index.json", oldPage);
            tier.answer("/simple/poisonbeta/index.json.minisig", oldSignature);
            HttpResponse<byte[]> refused = get(URI.create(edge.simpleUrl() + "poisonbeta/"));
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("poisonbeta").contains("rollback");
            Processes.Result second = Pip.install(dir, edge.simpleUrl(), dir.resolve("target-replayed-2"),
                    List.of("--no-deps"), "poisonbeta");
            // pip reports a 403 on a project page as "no versions" and stops: it installs nothing older.
            assertThat(second.exitCode()).as(second.output()).isNotZero();
            assertThat(second.output()).contains("No matching distribution found for poisonbeta");
        }
        assertThat(cachedWheels("replayed")).as("purge/all removed the one installed before; nothing came back")
                .isEmpty();
    }

    @Test
    void theOriginRefusesToSignBytesThatDoNotMatchTheUpstreamSha256() throws Exception {
        String alpha = wheel("poisongamma");
        byte[] other = Files.readAllBytes(index.root().resolve("packages").resolve(wheel("poisonbeta")));
        files.override("/packages/" + alpha, Fault.body(other));
        Path published = dir.resolve("origin-cache/origin/packages/" + alpha + ".minisig");
        HttpResponse<byte[]> refused = get(originBase().resolve("packages/" + alpha + ".minisig"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("refused to sign " + alpha)
                .contains("the upstream page says " + index.sha256(alpha));
        assertThat(published).doesNotExist();
        assertThat(dir.resolve("origin-cache/origin/packages/" + alpha)).doesNotExist();
        assertThat(origin.metrics().registry().counter("signet.origin.refusals", "reason", "sha256_mismatch").count())
                .isGreaterThanOrEqualTo(1);
        try (Stream<Path> temps = Files.list(dir.resolve("origin-cache/origin/packages"))) {
            assertThat(temps.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part"))).isEmpty();
        }
    }

    @Test
    void theOriginLeavesOffItsPageAndRefusesAFileTheUpstreamGivesNoSha256For() throws Exception {
        String alpha = wheel("poisondelta");
        String html = "<!DOCTYPE html><html><body><a href=\"https://127.0.0.1:" + pypi.filesPort() + "/packages/"
                + alpha + "\">" + alpha + "</a></body></html>";
        hostileUpstream.answer("/simple/poisondelta/", html.getBytes(StandardCharsets.UTF_8));
        // Wait for the origin to see the forged page (index-ttl 0s: each request revalidates upstream).
        Eventually.await("the origin's page of poisondelta lists nothing", Duration.ofSeconds(30), () -> {
            try {
                return !new String(get(originBase().resolve("simple/poisondelta/index.json")).body(),
                        StandardCharsets.UTF_8).contains(alpha);
            } catch (Exception e) {
                return false;
            }
        });
        HttpResponse<byte[]> refused = get(originBase().resolve("packages/" + alpha + ".minisig"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("refused to sign " + alpha)
                .contains("no sha256");
        assertThat(get(originBase().resolve("packages/" + alpha)).statusCode()).isEqualTo(403);
        assertThat(dir.resolve("origin-cache/origin/packages/" + alpha)).doesNotExist();
        assertThat(dir.resolve("origin-cache/origin/packages/" + alpha + ".minisig")).doesNotExist();
    }

    @Test
    void theOriginRefusesARedirectToAHostThatIsNotAllowed() throws Exception {
        String epsilon = wheel("poisonepsilon");
        // The file's URL is on the upstream's own host, and answers with a redirect to "localhost", which this
        // origin's origin.allowed-file-hosts does not list (as a redirect from PyPI to an unknown CDN).
        com.sun.net.httpserver.HttpServer redirector = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress("127.0.0.1", 0), 0);
        redirector.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Location", "https://localhost:" + pypi.filesPort() + "/packages/" + epsilon);
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        redirector.start();
        try (TlsFront redirectTls = TlsFront.start(certs, new InetSocketAddress("127.0.0.1",
                redirector.getAddress().getPort()))) {
            String html = "<!DOCTYPE html><html><body><a href=\"https://127.0.0.1:" + redirectTls.port() + "/r/"
                    + epsilon + "#sha256=" + index.sha256(epsilon) + "\">" + epsilon + "</a></body></html>";
            hostileUpstream.answer("/simple/poisonepsilon/", html.getBytes(StandardCharsets.UTF_8));
            HttpResponse<byte[]> refused = get(originBase().resolve("packages/" + epsilon + ".minisig"));
            assertThat(refused.statusCode()).as(new String(refused.body(), StandardCharsets.UTF_8)).isEqualTo(403);
            assertThat(refused.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("file host localhost")
                    .contains("origin.allowed-file-hosts");
            assertThat(dir.resolve("origin-cache/origin/packages/" + epsilon)).doesNotExist();
            assertThat(dir.resolve("origin-cache/origin/packages/" + epsilon + ".minisig")).doesNotExist();
            assertThat(files.requestCount("/packages/" + epsilon)).as("the redirect was not followed").isZero();
        } finally {
            redirector.stop(0);
        }
    }

    private static long serial(byte[] signature) {
        Matcher m = SERIAL.matcher(new String(signature, StandardCharsets.UTF_8));
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static long serialQuietly(URI signature) {
        try {
            return serial(get(signature).body());
        } catch (Exception e) {
            return -1;
        }
    }
}
