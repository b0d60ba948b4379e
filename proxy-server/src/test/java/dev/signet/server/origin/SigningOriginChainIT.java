package dev.signet.server.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.signet.events.SignetListener;
import dev.signet.server.SignetServer;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.StaticIndex;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.HttpsPypi;
import dev.signet.server.testing.Minisign;
import dev.signet.server.testing.Pip;
import dev.signet.server.testing.Processes;
import dev.signet.server.testing.Squid;
import dev.signet.server.testing.TamperingProxy;
import dev.signet.server.testing.Varnish;
import dev.signet.sig.MinisignKeyPair;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain of docs/deploy.md with real components: an HTTPS index with a test CA standing in for PyPI (JSON
 * pages, files on another host name as on files.pythonhosted.org) -> a Signet signing origin -> a real Varnish ->
 * a real, caching Squid -> edge Signets that trust only the origin's key (signed-pages: require) -> real pip.
 */
class SigningOriginChainIT {

    /** Over Squid's default maximum_object_size (4 MB): only cached because the tier's config raises it. */
    private static final WheelBuilder LARGE = WheelBuilder.wheel("chainbig", "1.0.0").padding(6_000_000, 31);
    private static final WheelBuilder SMALL = WheelBuilder.wheel("chainsmall", "2.0.0").padding(20_000, 32);

    @TempDir
    static Path dir;
    static StaticIndex index;
    static HttpsPypi pypi;
    static Minisign originKey;
    static SignetServer origin;
    static Varnish varnish;
    static Squid squid;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void chain() throws Exception {
        assumeTrue(Varnish.installed(), "varnish is not installed (.ci/run installs it)");
        // The upstream's own signatures play no part: the origin checks sha256 hashes and signs with its own key.
        MinisignKeyPair upstreamKey = MinisignKeyPair.generate(new SecureRandom());
        index = StaticIndex.build(dir.resolve("pypi"), List.of(LARGE, SMALL),
                new MinisignArtifactSigner(upstreamKey.secretKey()), true);
        // Files on "localhost", pages on "127.0.0.1": two hosts, as pypi.org and files.pythonhosted.org.
        pypi = HttpsPypi.start(dir, index.root(), "localhost");
        originKey = Minisign.generate(dir.resolve("origin-key"));
        Map<String, Object> settings = pypi.originSettings(originKey.secretKeyFile(), dir.resolve("origin-cache"));
        settings.put("origin.allowed-file-hosts", List.of("localhost"));
        origin = SignetServer.start(ConfigLoader.load(null, Map.of(), settings), SignetListener.NONE,
                InstantSource.system());
        varnish = Varnish.start(dir.resolve("varnish"), origin.address().getPort());
        squid = Squid.startCaching(dir.resolve("squid"));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {squid, varnish, origin, pypi}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private static SignetServer edge(String name, String proxy) throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("listen", "127.0.0.1:0");
        settings.put("admin-listen", "127.0.0.1:0");
        settings.put("upstream", varnish.url() + "/simple/");
        settings.put("trusted-keys", List.of("@" + originKey.publicKeyFile()));
        settings.put("page-keys", List.of("@" + originKey.publicKeyFile()));
        settings.put("signed-pages", "require");
        settings.put("memory-cache-size", "0");
        if (proxy != null) {
            settings.put("upstream-proxy", proxy);
        }
        settings.put("cache-dir", dir.resolve("edge-" + name).toString());
        return SignetServer.start(ConfigLoader.load(null, Map.of(), settings), SignetListener.NONE,
                InstantSource.system());
    }

    private static Processes.Result install(SignetServer edge, String name) throws Exception {
        return Pip.install(dir, edge.simpleUrl(), dir.resolve("target-" + name), List.of("--no-deps"),
                "chainbig", "chainsmall");
    }

    private static long squidHits(String path) throws Exception {
        return squid.accessLog().stream().filter(line -> line.contains(path) && line.contains("HIT/")).count();
    }

    @Test
    void twoEdgesBehindVarnishAndSquidInstallWithPipAndBothCachesAnswerTheSecond() throws Exception {
        List<String> names = index.fileNames().stream().filter(n -> n.endsWith(".whl")).toList();
        assertThat(names).hasSize(2);

        // Edge A, a site next to the Varnish tier: fills Varnish (misses), the origin signs each file once.
        try (SignetServer a = edge("a", null)) {
            Processes.Result pip = install(a, "a");
            assertThat(pip.exitCode()).as(pip.output()).isZero();
        }
        long originRequests = varnish.counter("MAIN.backend_req");
        long varnishHits = varnish.counter("MAIN.cache_hit");
        for (String name : names) {
            assertThat(pypi.files().requestCount("/packages/" + name)).as("upstream fetches of " + name).isEqualTo(1);
        }
        long signatures;
        try (Stream<Path> tree = Files.list(dir.resolve("origin-cache/origin/packages"))) {
            signatures = tree.filter(p -> p.getFileName().toString().endsWith(".minisig")).count();
        }
        assertThat(signatures).isBetween((long) names.size(), 2L * names.size());
        assertThat(origin.metrics().registry().counter("signet.origin.signed").count())
                .as("every published file (wheels, metadata) signed exactly once").isEqualTo((double) signatures);

        // Edge B, behind the Squid parent cache: Squid misses, Varnish answers every file and signature from cache.
        try (SignetServer b = edge("b", squid.url())) {
            Processes.Result pip = install(b, "b");
            assertThat(pip.exitCode()).as(pip.output()).isZero();
        }
        assertThat(varnish.counter("MAIN.cache_hit") - varnishHits)
                .as("Varnish hits for edge B's files, signatures, metadata and pages")
                .isGreaterThanOrEqualTo(2L * names.size());

        // Edge C, behind the same Squid: Squid answers every file and signature from its cache.
        try (SignetServer c = edge("c", squid.url())) {
            Processes.Result pip = install(c, "c");
            assertThat(pip.exitCode()).as(pip.output()).isZero();
            try (Stream<Path> installed = Files.list(dir.resolve("target-c"))) {
                assertThat(installed.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dist-info")))
                        .hasSize(2);
            }
        }
        for (String name : names) {
            assertThat(squidHits("/packages/" + name + " ")).as("Squid hits for " + name + "\n" + squid.accessLog())
                    .isGreaterThanOrEqualTo(1);
            assertThat(squidHits("/packages/" + name + ".minisig")).as("Squid hits for " + name + ".minisig")
                    .isGreaterThanOrEqualTo(1);
        }
        assertThat(varnish.counter("MAIN.backend_req") - originRequests)
                .as("the origin saw no file or signature request from edges B and C (pages may be revalidated)")
                .isLessThanOrEqualTo(4);
        for (String name : names) {
            assertThat(pypi.files().requestCount("/packages/" + name)).as("upstream fetches of " + name).isEqualTo(1);
        }
    }

    @Test
    void theOriginEmitsHeadersSharedCachesKeepAndTheSameSignatureBytesEveryTime() throws Exception {
        String name = index.fileNames().stream().filter(n -> n.startsWith("chainsmall")).findFirst().orElseThrow();
        URI base = URI.create(origin.simpleUrl()).resolve("/");
        HttpResponse<byte[]> signature = get(base.resolve("/packages/" + name + ".minisig"));
        assertThat(signature.statusCode()).isEqualTo(200);
        assertThat(signature.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
        assertThat(signature.headers().firstValue("ETag")).hasValueSatisfying(tag -> assertThat(tag).startsWith("\""));
        assertThat(signature.headers().firstValue("Vary")).isEmpty();
        String text = new String(signature.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).contains("\tfile:" + name + "\t").contains("sha256:" + index.sha256(name));
        HttpResponse<byte[]> artifact = get(base.resolve("/packages/" + name));
        assertThat(artifact.statusCode()).isEqualTo(200);
        assertThat(artifact.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
        assertThat(artifact.headers().firstValue("ETag")).contains("\"" + index.sha256(name) + "\"");
        assertThat(get(base.resolve("/packages/" + name + ".minisig")).body()).isEqualTo(signature.body());

        HttpResponse<byte[]> page = get(base.resolve("/simple/chainsmall/index.json"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Cache-Control")).contains("public, max-age=60");
        assertThat(page.headers().firstValue("Vary")).isEmpty();
        assertThat(page.headers().firstValue("Content-Type")).contains("application/vnd.pypi.simple.v1+json");
        HttpResponse<byte[]> pageSignature = get(base.resolve("/simple/chainsmall/index.json.minisig"));
        assertThat(new String(pageSignature.body(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("signet-page:1\tproject:chainsmall\tserial:");
        Path pageFile = Files.write(dir.resolve("page.json"), page.body());
        Files.write(dir.resolve("page.json.minisig"), pageSignature.body());
        Processes.Result check = Processes.run(dir, List.of("minisign", "-Vm", pageFile.toString(), "-p",
                originKey.publicKeyFile().toString()), 30);
        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    /** A tampering cache in place of Squid flips a bit in every wheel: the edge refuses, caches nothing, pip fails. */
    @Test
    void aTamperingTierIsRefusedAtTheEdgeAndPipFailsLoudly() throws Exception {
        try (TamperingProxy tampering = TamperingProxy.start(); SignetServer edge = edge("tampered", tampering.url())) {
            Processes.Result pip = Pip.install(dir, edge.simpleUrl(), dir.resolve("target-tampered"),
                    List.of("--no-deps"), "chainsmall");
            assertThat(pip.exitCode()).as(pip.output()).isNotZero();
            assertThat(pip.output()).contains("403");
            assertThat(tampering.tampered()).isPositive();
            assertThat(edge.artifacts().fillRegistry()).isNotNull();
            try (Stream<Path> cached = Files.walk(dir.resolve("edge-tampered"))) {
                assertThat(cached.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".whl"))).isEmpty();
            }
        }
    }

    private static HttpResponse<byte[]> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
