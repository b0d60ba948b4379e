package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.server.demo.ArtifactSigner;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.JsonIndexServer;
import dev.signet.server.testing.MutableClock;
import dev.signet.server.testing.NoLeaksExtension;
import dev.signet.server.testing.Pip;
import dev.signet.server.testing.Processes;
import dev.signet.server.testing.SignetFixture;
import dev.signet.server.policy.PolicyState;
import dev.signet.sig.MinisignKeyPair;
import dev.signet.sig.MinisignSigner;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supply-chain policy at the edge (issue 15) and files refused for a lasting reason left off pages (issue 14),
 * through a real Signet, a real loopback upstream and real pip. Signatures are made "now" (real time) unless a test
 * dates them; Signet's clock is a {@link MutableClock}, so "signed 2 days ago" is Signet's clock 2 days ahead.
 */
@ExtendWith(NoLeaksExtension.class)
class PolicyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/vnd.pypi.simple.v1+json";
    private static final String OLD = "pol_a-1.0.0-py3-none-any.whl";
    private static final String NEW = "pol_a-2.0.0-py3-none-any.whl";
    private static final String TOKEN = "policy-admin-token";

    private final MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
    private final Instant signedNow = Instant.now();

    /** Signs with minisign's default comment, dated {@code ages} back for the files it names (else now). */
    private ArtifactSigner dated(Map<String, Duration> ages) {
        return (file, name) -> {
            Instant at = signedNow.minus(ages.getOrDefault(name.replace(".metadata", ""), Duration.ZERO));
            String comment = "timestamp:" + at.getEpochSecond() + "\tfile:" + name + "\thashed";
            try (InputStream in = Files.newInputStream(file)) {
                return MinisignSigner.sign(key.secretKey(), in, name, comment, "test").encode();
            }
        };
    }

    private static List<WheelBuilder> polA() {
        return List.of(WheelBuilder.wheel("pol-a", "1.0.0"), WheelBuilder.wheel("pol-a", "2.0.0"));
    }

    private static Map<String, Object> settings(Map<String, Object> extra) {
        Map<String, Object> s = new LinkedHashMap<>();
        // Pages stay fresh across the clock jumps below: coming of age must need no upstream request.
        s.put("index-ttl", "30d");
        s.put("max-stale", "30d");
        s.put("admin-token", TOKEN);
        // A page view waits for the signature checks it starts (on a loaded machine they take more than 250ms).
        s.put("metadata-check-wait", "1m");
        s.putAll(extra);
        return s;
    }

    private SignetFixture start(Path dir, MutableClock clock, Map<String, Object> extra) throws Exception {
        return SignetFixture.start(dir, polA(), dated(Map.of(OLD, Duration.ofDays(30))), key.publicKey().encoded(),
                settings(extra), SignetFixture.Options.HTML, clock);
    }

    private static List<String> listed(SignetFixture f, String project) throws Exception {
        HttpResponse<byte[]> page = f.get("/simple/" + project + "/", "Accept", JSON_TYPE);
        assertThat(page.statusCode()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        JSON.readTree(page.body()).path("files").forEach(file -> names.add(file.path("filename").asText()));
        return names;
    }

    private static JsonNode file(SignetFixture f, String project, String name) throws Exception {
        for (JsonNode file : JSON.readTree(f.get("/simple/" + project + "/", "Accept", JSON_TYPE).body()).path("files")) {
            if (file.path("filename").asText().equals(name)) {
                return file;
            }
        }
        return null;
    }

    private static List<String> listedHtml(SignetFixture f, String project) throws Exception {
        String html = new String(f.get("/simple/" + project + "/", "Accept", "text/html").body(), StandardCharsets.UTF_8);
        List<String> names = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(">([^<]+\\.whl)</a>").matcher(html);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static HttpResponse<String> admin(SignetFixture f, String method, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + f.signet().adminAddress().getPort() + path))
                .header("Authorization", "Bearer " + TOKEN).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String rule) {
        return URLEncoder.encode(rule, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A refusal sent the reason only: no byte of the file, and nothing of it in the cache. */
    private static void refusedWithNothingSentOrCached(SignetFixture f, String project, String name, String reason)
            throws Exception {
        HttpResponse<byte[]> direct = f.get("/packages/" + project + "/" + name);
        assertThat(direct.statusCode()).isEqualTo(403);
        String body = new String(direct.body(), StandardCharsets.UTF_8);
        assertThat(body).contains(reason).endsWith("\n").doesNotContain("PK");
        assertThat(body.lines().count()).isEqualTo(1);
        assertThat(f.upstream().requestCount("/packages/" + name)).as("the file's body was never fetched").isZero();
        assertThat(f.cacheFiles()).noneMatch(p -> p.getFileName().toString().startsWith(name));
    }

    @Test
    void aFileSignedTwoDaysAgoIsHiddenUnderMinAge7dRefusedDirectlyAndAppearsOnTheSameCachedPageByTheClockAlone(
            @TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock(signedNow.plus(Duration.ofDays(2)));
        try (SignetFixture f = start(dir, clock, Map.of("policy.min-age", "7d"))) {
            assertThat(listed(f, "pol-a")).containsExactly(OLD);
            assertThat(listedHtml(f, "pol-a")).containsExactly(OLD);
            // PEP 700 upload-time from the signature, so client-side cooldowns work through Signet too.
            assertThat(file(f, "pol-a", OLD).path("upload-time").asText())
                    .isEqualTo(Instant.ofEpochSecond(signedNow.minus(Duration.ofDays(30)).getEpochSecond()).toString());
            String uploaded = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm'Z'")
                    .withZone(java.time.ZoneOffset.UTC).format(signedNow);
            refusedWithNothingSentOrCached(f, "pol-a", NEW, "refused " + NEW + ": uploaded " + uploaded
                    + ", min-age 7d, allowed from ");
            refusedWithNothingSentOrCached(f, "pol-a", NEW + ".metadata", "min-age 7d");
            assertThat(f.signet().metrics().scrape("text/plain")).contains("signet_policy_blocked_total{reason=\"too_new\"}");

            int pageRequests = f.upstream().requestCount("/simple/pol-a/");
            int signatureRequests = f.upstream().requestCount("/packages/" + NEW + ".minisig");
            clock.advance(Duration.ofDays(5).minusMinutes(1));
            assertThat(listed(f, "pol-a")).containsExactly(OLD);
            clock.advance(Duration.ofMinutes(2));
            assertThat(listed(f, "pol-a")).containsExactly(OLD, NEW);
            assertThat(listedHtml(f, "pol-a")).containsExactly(OLD, NEW);
            assertThat(f.get("/packages/pol-a/" + NEW).statusCode()).isEqualTo(200);
            assertThat(f.upstream().requestCount("/simple/pol-a/")).as("no page fetched again").isEqualTo(pageRequests);
            assertThat(f.upstream().requestCount("/packages/" + NEW + ".minisig") - signatureRequests)
                    .as("only the fill's own signature fetch").isEqualTo(1);
        }
    }

    @Test
    void aForgedUploadTimeOnAnUnsignedPageNeitherHidesNorRevealsAFile(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock(signedNow.plus(Duration.ofDays(2)));
        try (SignetFixture f = SignetFixture.start(dir, polA(), dated(Map.of(OLD, Duration.ofDays(30))),
                key.publicKey().encoded(), settings(Map.of("policy.min-age", "7d")), SignetFixture.Options.JSON, clock)) {
            // Not yet fetched by Signet: the page it will fetch says the new file is ancient and the old one brand new.
            JsonIndexServer upstream = f.json();
            upstream.forgeUploadTime(NEW, "2001-01-01T00:00:00Z");
            upstream.forgeUploadTime(OLD, clock.instant().toString());
            assertThat(listed(f, "pol-a")).containsExactly(OLD);
            assertThat(file(f, "pol-a", OLD).path("upload-time").asText()).isNotEqualTo(clock.instant().toString());
            assertThat(f.get("/packages/pol-a/" + NEW).statusCode()).isEqualTo(403);
            assertThat(f.get("/packages/pol-a/" + OLD).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void realPipResolvesToTheOlderVersionWhileTheNewestIsTooNewAndInstallsItOnceExemptedThroughTheAdminApi(
            @TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock(signedNow.plus(Duration.ofDays(2)));
        try (SignetFixture f = start(dir, clock, Map.of("policy.min-age", "7d"))) {
            Processes.Result older = Pip.install(dir, f.simpleUrl(), dir.resolve("t1"), List.of(), "pol-a");
            assertThat(older.exitCode()).as(older.output()).isZero();
            assertThat(installed(dir.resolve("t1"))).isEqualTo("1.0.0");

            HttpResponse<String> exempt = admin(f, "POST", "/policy/exempt/" + encode("pol-a==2.0.0"));
            assertThat(exempt.statusCode()).as(exempt.body()).isEqualTo(200);
            Processes.Result newest = Pip.install(dir, f.simpleUrl(), dir.resolve("t2"), List.of(), "pol-a");
            assertThat(newest.exitCode()).as(newest.output()).isZero();
            assertThat(installed(dir.resolve("t2"))).isEqualTo("2.0.0");

            // Persisted: after a restart the exemption is still listed and in force.
            f.restart();
            HttpResponse<String> rules = admin(f, "GET", "/policy");
            assertThat(rules.statusCode()).isEqualTo(200);
            assertThat(rules.body()).contains("\"rule\" : \"pol-a==2.0.0\"").contains("\"source\" : \"admin\"");
            assertThat(listed(f, "pol-a")).containsExactly(OLD, NEW);

            // Without the token the policy is neither shown nor changed.
            HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + f.signet().adminAddress().getPort() + "/policy/unexempt/x"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void realPipInstallsTheNewestOnceItComesOfAge(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock(signedNow.plus(Duration.ofDays(2)));
        try (SignetFixture f = start(dir, clock, Map.of("policy.min-age", "7d"))) {
            assertThat(listed(f, "pol-a")).containsExactly(OLD);
            clock.advance(Duration.ofDays(6));
            Processes.Result newest = Pip.install(dir, f.simpleUrl(), dir.resolve("t"), List.of(), "pol-a");
            assertThat(newest.exitCode()).as(newest.output()).isZero();
            assertThat(installed(dir.resolve("t"))).isEqualTo("2.0.0");
        }
    }

    @Test
    void blockRulesAndAnImportedMaliciousAdvisoryHideFilesRefuseThemAndSurviveARestart(@TempDir Path dir)
            throws Exception {
        MutableClock clock = new MutableClock(signedNow);
        Path cache = dir.resolve("cache");
        PolicyState.install(PolicyState.directory(cache), osvZip(Map.of("MAL-2026-7.json", """
                {"id": "MAL-2026-7", "summary": "malicious",
                 "affected": [{"package": {"ecosystem": "PyPI", "name": "Pol_A"}, "versions": ["1.0.0"]}]}""")));
        List<WheelBuilder> wheels = new ArrayList<>(polA());
        wheels.add(WheelBuilder.wheel("pol-b", "1.0.0"));
        wheels.add(WheelBuilder.wheel("pol-b", "2.0.5"));
        try (SignetFixture f = SignetFixture.start(dir, wheels, dated(Map.of()), key.publicKey().encoded(),
                settings(Map.of("policy.block", List.of("pol-b>=2,<2.1"))), new SignetFixture.Options(true, false, Map.of()),
                clock)) {
            assertThat(listed(f, "pol-a")).containsExactly(NEW);
            assertThat(listed(f, "pol-b")).containsExactly("pol_b-1.0.0-py3-none-any.whl");
            refusedWithNothingSentOrCached(f, "pol-a", OLD, "refused " + OLD + ": known malicious release, advisory MAL-2026-7");
            refusedWithNothingSentOrCached(f, "pol-a", OLD + ".metadata", "advisory MAL-2026-7");
            refusedWithNothingSentOrCached(f, "pol-b", "pol_b-2.0.5-py3-none-any.whl", "blocked by rule pol-b>=2,<2.1");

            // An admin block hides the rest; a page with no file left is an empty page, not a 404.
            assertThat(admin(f, "POST", "/policy/block/" + encode("pol-a")).statusCode()).isEqualTo(200);
            assertThat(listed(f, "pol-a")).isEmpty();
            refusedWithNothingSentOrCached(f, "pol-a", NEW, "blocked by rule pol-a");
            String rules = admin(f, "GET", "/policy").body();
            assertThat(rules).contains("\"rule\" : \"pol-a\"").contains(NEW).contains("\"imported\" : 1")
                    .contains("pol-b>=2,<2.1");

            f.restart();
            assertThat(listed(f, "pol-a")).isEmpty();
            assertThat(f.get("/packages/pol-a/" + OLD).statusCode()).isEqualTo(403);
            assertThat(admin(f, "POST", "/policy/unblock/" + encode("pol-a")).statusCode()).isEqualTo(200);
            assertThat(listed(f, "pol-a")).containsExactly(NEW);
            assertThat(f.get("/packages/pol-a/" + NEW).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aProjectWhoseNewestFileIsRefusedForALastingReasonStaysInstallableWithRealPip(@TempDir Path dir)
            throws Exception {
        MinisignKeyPair stranger = MinisignKeyPair.generate(new SecureRandom());
        ArtifactSigner ours = dated(Map.of());
        // The newest file is signed by a key Signet does not trust: refused for as long as the upstream keeps it so.
        ArtifactSigner signer = (file, name) -> name.startsWith("pol_a-2.0.0")
                ? MinisignSigner.sign(stranger.secretKey(), Files.newInputStream(file), name, null, "x").encode()
                : ours.sign(file, name);
        try (SignetFixture f = SignetFixture.start(dir, polA(), signer, key.publicKey().encoded(), settings(Map.of()),
                SignetFixture.Options.HTML, new MutableClock(signedNow))) {
            Processes.Result first = Pip.install(dir, f.simpleUrl(), dir.resolve("t1"), List.of(), "pol-a");
            assertThat(first.exitCode()).as("pip met the refusal once").isNotZero();
            assertThat(first.output()).contains("403");
            assertThat(listed(f, "pol-a")).containsExactly(OLD);
            Processes.Result second = Pip.install(dir, f.simpleUrl(), dir.resolve("t2"), List.of(), "pol-a");
            assertThat(second.exitCode()).as(second.output()).isZero();
            assertThat(installed(dir.resolve("t2"))).isEqualTo("1.0.0");
            HttpResponse<byte[]> direct = f.get("/packages/pol-a/" + NEW);
            assertThat(direct.statusCode()).isEqualTo(403);
            assertThat(new String(direct.body(), StandardCharsets.UTF_8)).contains("unknown key");
            assertThat(f.cacheFiles()).noneMatch(p -> p.getFileName().toString().startsWith(NEW));
        }
    }

    private static String installed(Path target) throws Exception {
        try (var entries = Files.list(target)) {
            String dist = entries.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dist-info"))
                    .findFirst().orElseThrow();
            return dist.replaceAll("^pol_a-(.*)\\.dist-info$", "$1");
        }
    }

    static byte[] osvZip(Map<String, String> entries) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
