package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.events.SignetListener;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.StaticIndex;
import dev.signet.server.demo.StaticIndexServer;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Http;
import dev.signet.server.testing.HostileProxy;
import dev.signet.server.testing.MutableClock;
import dev.signet.server.testing.Pip;
import dev.signet.server.testing.Processes;
import dev.signet.server.testing.SignedPages;
import dev.signet.server.testing.SignedPages.Signed;
import dev.signet.sig.MinisignKeyPair;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed project pages (docs/signed-index.md) end to end: a static index whose pages are signed, a hostile cache
 * between it and Signet (signed-pages: require), and real pip. The attacks of the issue (replay an older page, strip
 * the newest version, serve another project's page, keep a page past its expiry, sign two pages with one serial) are
 * each refused with their reason, counted, nothing is cached, and pip never installs the older version.
 */
class SignedPagesIT {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PROJECT = "sigpage-lib";
    private static final String OLD = "sigpage_lib-1.0-py3-none-any.whl";
    private static final String NEW = "sigpage_lib-2.0-py3-none-any.whl";
    private static final String TOKEN = "admin-token-for-signed-pages-it";

    @TempDir
    Path dir;

    private final MinisignKeyPair fileKey = MinisignKeyPair.generate(RANDOM);
    private final MinisignKeyPair pageKey = MinisignKeyPair.generate(RANDOM);
    private final MutableClock clock = new MutableClock(Instant.now());
    private StaticIndex index;
    private StaticIndexServer origin;
    private HostileProxy proxy;
    private SignetServer signet;
    /** The page a publisher signed first (serial 1, only 1.0) and its current one (serial 2, 1.0 and 2.0). */
    private Signed first;
    private Signed current;

    @BeforeEach
    void publishSignedIndex() throws Exception {
        index = StaticIndex.build(dir.resolve("index"), List.of(WheelBuilder.wheel(PROJECT, "1.0"),
                WheelBuilder.wheel(PROJECT, "2.0"), WheelBuilder.wheel("sigpage-other", "1.0")),
                new MinisignArtifactSigner(fileKey.secretKey()), false);
        Instant expires = clock.instant().plus(Duration.ofDays(7));
        first = SignedPages.sign(index, PROJECT, List.of(OLD), 1, expires, pageKey.secretKey());
        current = SignedPages.sign(index, PROJECT, List.of(OLD, NEW), 2, expires, pageKey.secretKey());
        SignedPages.publish(index, current);
        SignedPages.publish(index, SignedPages.sign(index, "sigpage-other", List.of("sigpage_other-1.0-py3-none-any.whl"),
                1, expires, pageKey.secretKey()));
        origin = StaticIndexServer.start(index.root(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        proxy = HostileProxy.start(origin.baseUri());
        startSignet(Map.of());
    }

    private void startSignet(Map<String, Object> extra) throws Exception {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("listen", "127.0.0.1:0");
        s.put("admin-listen", "127.0.0.1:0");
        s.put("admin-token", TOKEN);
        s.put("upstream", proxy.baseUri() + "simple/");
        s.put("trusted-keys", List.of(fileKey.publicKey().encoded()));
        s.put("page-keys", List.of(pageKey.publicKey().encoded()));
        s.put("signed-pages", "require");
        s.put("cache-dir", dir.resolve("cache").toString());
        s.put("index-ttl", "0s");
        s.putAll(extra);
        signet = SignetServer.start(ConfigLoader.load(null, Map.of(), s), SignetListener.NONE, clock);
    }

    private void restartSignet() throws Exception {
        signet.close();
        startSignet(Map.of());
    }

    @AfterEach
    void stop() {
        if (signet != null) {
            signet.close();
        }
        proxy.close();
        origin.close();
    }

    private String base() {
        return "http://127.0.0.1:" + signet.address().getPort();
    }

    private HttpResponse<String> page(String project) throws Exception {
        return Http.get(base() + "/simple/" + project + "/", "Accept", "application/vnd.pypi.simple.v1+json");
    }

    private void purgePage() throws Exception {
        HttpResponse<String> purged = Http.post("http://127.0.0.1:" + signet.adminAddress().getPort()
                + "/purge/page/" + PROJECT, "Authorization", "Bearer " + TOKEN);
        assertThat(purged.statusCode()).as(purged.body()).isEqualTo(200);
    }

    private double refusals(String reason) throws Exception {
        String metrics = Http.get("http://127.0.0.1:" + signet.adminAddress().getPort() + "/metrics").body();
        String prefix = "signet_page_refusals_total{reason=\"" + reason + "\"} ";
        return metrics.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()))).sum();
    }

    private void assertRefused(HttpResponse<String> answer, String reason) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
        assertThat(answer.body()).startsWith("refused page of " + PROJECT + ": ").contains("(" + reason + ")")
                .doesNotContain(OLD);
        assertThat(refusals(reason)).isPositive();
        assertThat(Files.exists(dir.resolve("cache/pages/primary/" + PROJECT + ".page"))).as("nothing cached").isFalse();
    }

    private Processes.Result pip(String name, String... requirements) throws Exception {
        Path target = Files.createDirectories(dir.resolve(name));
        return Pip.install(dir, base() + "/simple/", target, List.of("--no-deps"), requirements);
    }

    private boolean installedOld(String name) {
        return Files.exists(dir.resolve(name).resolve("sigpage_lib-1.0.dist-info"));
    }

    @Test
    void pipInstallsTheNewestVersionThroughASignedIndexWithRequire() throws Exception {
        Processes.Result pip = pip("ok", PROJECT);
        assertThat(pip.exitCode()).as(pip.output()).isZero();
        assertThat(dir.resolve("ok").resolve("sigpage_lib-2.0.dist-info")).isDirectory();
        assertThat(Files.readString(dir.resolve("cache/page-state/primary/" + PROJECT))).startsWith("2 ");
    }

    @Test
    void aReplayedOlderPageIsRefusedAndStaysRefusedAfterARestart() throws Exception {
        assertThat(page(PROJECT).statusCode()).isEqualTo(200);
        proxy.replace(first, PROJECT);
        // With the current page cached, the replay is refused and the page accepted before stays in use.
        HttpResponse<String> kept = page(PROJECT);
        assertThat(kept.statusCode()).isEqualTo(200);
        assertThat(kept.body()).contains(NEW);
        assertThat(refusals("rollback")).isPositive();

        purgePage();
        assertRefused(page(PROJECT), "rollback");
        Processes.Result pip = pip("replayed", PROJECT);
        assertThat(pip.exitCode()).as(pip.output()).isNotZero();
        assertThat(installedOld("replayed")).as("pip never installs the older version").isFalse();

        restartSignet();
        assertRefused(page(PROJECT), "rollback");
        assertThat(Http.get(base() + "/packages/" + PROJECT + "/" + OLD).statusCode()).isEqualTo(403);
    }

    @Test
    void aPageStrippedOfItsNewestVersionIsRefused() throws Exception {
        // The current signature with a page that no longer lists 2.0: a hidden release.
        Signed stripped = SignedPages.sign(index, PROJECT, List.of(OLD), 2, Instant.now().plusSeconds(3600), pageKey.secretKey());
        proxy.answer("/simple/" + PROJECT + "/index.json", stripped.page());
        assertRefused(page(PROJECT), "bad_signature");
        Processes.Result pip = pip("stripped", PROJECT);
        assertThat(pip.exitCode()).as(pip.output()).isNotZero();
        assertThat(installedOld("stripped")).isFalse();
    }

    @Test
    void anotherProjectsPageIsRefused() throws Exception {
        Path other = index.root().resolve("simple/sigpage-other");
        proxy.answer("/simple/" + PROJECT + "/index.json", Files.readAllBytes(other.resolve("index.json")));
        proxy.answer("/simple/" + PROJECT + "/index.json.minisig", Files.readAllBytes(other.resolve("index.json.minisig")));
        assertRefused(page(PROJECT), "wrong_project");
    }

    @Test
    void aPageKeptPastItsExpiryIsNotServedEvenStale() throws Exception {
        Signed shortLived = SignedPages.sign(index, PROJECT, List.of(OLD, NEW), 3, clock.instant().plusSeconds(3600),
                pageKey.secretKey());
        proxy.replace(shortLived, PROJECT);
        assertThat(page(PROJECT).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofHours(2));
        // The cache keeps answering the same page: it is past its signed expiry, so it is refused, and the copy
        // Signet holds is not served stale either.
        HttpResponse<String> frozen = page(PROJECT);
        assertThat(frozen.statusCode()).as(frozen.body()).isEqualTo(503);
        assertThat(frozen.body()).contains("expired");
        assertThat(refusals("expired")).isPositive();
        purgePage();
        assertRefused(page(PROJECT), "expired");
    }

    @Test
    void twoPagesWithOneSerialAreAnEquivocation() throws Exception {
        assertThat(page(PROJECT).statusCode()).isEqualTo(200);
        Signed twin = SignedPages.sign(index, PROJECT, List.of(OLD, NEW), 2, Instant.now().plusSeconds(3600),
                pageKey.secretKey(), "other bytes, same serial");
        proxy.replace(twin, PROJECT);
        HttpResponse<String> kept = page(PROJECT);
        assertThat(kept.statusCode()).as("the page accepted before stays in use").isEqualTo(200);
        assertThat(kept.body()).doesNotContain("other bytes");
        assertThat(refusals("equivocation")).isPositive();
        purgePage();
        assertRefused(page(PROJECT), "equivocation");
    }

    @Test
    void anUnsignedPageIsRefusedUnderRequire() throws Exception {
        Files.delete(index.root().resolve("simple/" + PROJECT + "/index.json.minisig"));
        assertRefused(page(PROJECT), "unsigned");
        assertThat(page("no-such-project").statusCode()).as("absent stays 404").isEqualTo(404);
    }

    @Test
    void preferRefusesAnUnsignedPageOnceTheProjectWasSeenSigned() throws Exception {
        signet.close();
        startSignet(Map.of("signed-pages", "prefer"));
        HttpResponse<String> unsignedOther = page("sigpage-other");
        assertThat(unsignedOther.statusCode()).isEqualTo(200);
        assertThat(page(PROJECT).statusCode()).isEqualTo(200);
        // Signatures stripped: the project was seen signed, so this is a downgrade.
        proxy.answer("/simple/" + PROJECT + "/index.json.minisig", new byte[0]);
        Files.delete(index.root().resolve("simple/" + PROJECT + "/index.json.minisig"));
        proxy.relayEverything();
        purgePage();
        assertRefused(page(PROJECT), "unsigned");
    }

    @Test
    void aFileThatIsNotOnTheVerifiedPageIsNotServed() throws Exception {
        SignedPages.publish(index, first);
        HttpResponse<String> missing = Http.get(base() + "/packages/" + PROJECT + "/" + NEW);
        assertThat(missing.statusCode()).as(missing.body()).isEqualTo(404);
        assertThat(Http.get(base() + "/packages/" + PROJECT + "/" + OLD).statusCode()).isEqualTo(200);
    }
}
