package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.Fault;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Http;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin listener against a scripted run: the counters in /metrics match what happened, probes answer, purges need
 * the token and do what they say, and none of it answers on the public port.
 */
class AdminMetricsIT {

    private static final String TOKEN = "test-admin-token-0123456789";
    private static final String GOOD = "alpha-1.0.0-py3-none-any.whl";
    private static final String BAD = "victim-1.0.0-py3-none-any.whl";

    @TempDir
    Path dir;
    private SignetFixture f;
    private String admin;

    @BeforeEach
    void start() throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        f = SignetFixture.start(dir, List.of(WheelBuilder.wheel("alpha", "1.0.0").padding(200_000, 3),
                        WheelBuilder.wheel("victim", "1.0.0")),
                new MinisignArtifactSigner(key.secretKey()), key.publicKey().encoded(), Map.of("admin-token", TOKEN));
        admin = "http://127.0.0.1:" + f.signet().adminAddress().getPort();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void metricsCountWhatHappened() throws Exception {
        byte[] tampered = f.upstreamBytes(BAD);
        tampered[tampered.length / 2] ^= 1;
        f.upstream().override("/packages/" + BAD, Fault.body(tampered));
        long size = f.upstreamBytes(GOOD).length;

        assertThat(f.get("/simple/alpha/").statusCode()).isEqualTo(200);
        assertThat(f.get("/packages/alpha/" + GOOD).statusCode()).isEqualTo(200);
        assertThat(f.get("/packages/alpha/" + GOOD).statusCode()).isEqualTo(200);
        assertThat(f.get("/packages/victim/" + BAD).statusCode()).isEqualTo(403);
        assertThat(f.get("/nowhere").statusCode()).isEqualTo(404);

        String metrics = Http.get(admin + "/metrics").body();
        assertThat(value(metrics, "signet_cache_misses_total")).isEqualTo(2);
        assertThat(value(metrics, "signet_cache_hits_total")).isEqualTo(1);
        assertThat(value(metrics, "signet_cache_fills_total{source=\"upstream\"}")).isEqualTo(1);
        assertThat(value(metrics, "signet_cache_fills_total{source=\"store\"}")).as("no shared store").isZero();
        assertThat(value(metrics, "signet_cache_coalesced_total")).isZero();
        assertThat(value(metrics, "signet_cache_served_bytes_total{source=\"cache\"}")).isEqualTo(size);
        assertThat(value(metrics, "signet_cache_served_bytes_total{source=\"upstream\"}")).isEqualTo(size);
        assertThat(value(metrics, "signet_cache_entries")).isEqualTo(1);
        assertThat(value(metrics, "signet_cache_size_bytes")).isEqualTo(size);
        assertThat(value(metrics, "signet_verify_failures_total{reason=\"bad_signature\"}")).isEqualTo(1);
        // Caffeine's statistics: the budget's index saw the hit (and the lookups that found nothing).
        assertThat(metrics).contains("cache_gets_total{cache=\"artifacts\",result=\"hit\"}")
                .contains("cache=\"pages-primary\"").contains("cache=\"metadata-verdicts\"");
        assertThat(value(metrics, "cache_gets_total{cache=\"artifacts\",result=\"hit\"}")).isPositive();
        assertThat(value(metrics, "signet_verify_failures_total{reason=\"unknown_key\"}")).as("every reason is present").isZero();
        assertThat(value(metrics, "signet_http_requests_seconds_count{route=\"artifact\",status=\"2xx\"}")).isEqualTo(2);
        assertThat(value(metrics, "signet_http_requests_seconds_count{route=\"artifact\",status=\"4xx\"}")).isEqualTo(1);
        assertThat(value(metrics, "signet_http_requests_seconds_count{route=\"project\",status=\"2xx\"}")).isEqualTo(1);
        assertThat(value(metrics, "signet_http_requests_seconds_count{route=\"other\",status=\"4xx\"}")).isEqualTo(1);
        // Two pages, two signatures, two bodies (the tampered one answered 200 too; Signet refused it itself).
        assertThat(value(metrics, "signet_upstream_requests_seconds_count{outcome=\"2xx\",upstream=\"127.0.0.1\"}")).isEqualTo(6);
        assertThat(metrics).contains("signet_http_requests_seconds_bucket{route=\"artifact\",status=\"2xx\",le=")
                .contains("jvm_memory_used_bytes").contains("netty_allocator_memory_used")
                .doesNotContain("alpha").doesNotContain("victim");
        // Regression: the gauges described PooledByteBufAllocator.DEFAULT, which Netty 4.2 channels do not use, so
        // they read 0 whatever the traffic; they now describe the allocator that carried these requests.
        assertThat(metrics.lines().filter(l -> l.startsWith("netty_allocator_memory_used"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum())
                .as("allocator memory in use").isPositive();
    }

    @Test
    void metricsInOpenMetricsFormatWhenAskedFor() throws Exception {
        HttpResponse<String> open = Http.get(admin + "/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
        assertThat(open.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/openmetrics-text"));
        assertThat(open.body()).endsWith("# EOF\n");
        HttpResponse<String> text = Http.get(admin + "/metrics");
        assertThat(text.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(text.body()).doesNotContain("# EOF");
    }

    @Test
    void probesAnswer() throws Exception {
        assertThat(Http.get(admin + "/livez").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = Http.get(admin + "/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready\n");
    }

    @Test
    void purgesNeedTheTokenAndDoWhatTheySay() throws Exception {
        assertThat(f.get("/packages/alpha/" + GOOD).statusCode()).isEqualTo(200);
        String purge = admin + "/purge/artifact/alpha/" + GOOD;

        HttpResponse<String> none = Http.post(purge);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"signet-admin\"");
        assertThat(Http.post(purge, "Authorization", "Bearer wrong-token-0123456789").statusCode()).isEqualTo(401);
        assertThat(Http.post(purge, "Authorization", "Basic " + TOKEN).statusCode()).isEqualTo(401);
        assertThat(Http.post(admin + "/purge/all").statusCode()).isEqualTo(401);
        // A page purge from loopback needs no token (LocalPagePurgeIT), but not from a browser: Origin needs the token.
        assertThat(Http.post(admin + "/purge/page/alpha", "Origin", "http://attacker.test").statusCode()).isEqualTo(401);
        assertThat(f.cachedFile("alpha", GOOD)).as("refused calls changed nothing").exists();

        HttpResponse<String> done = Http.post(purge, "Authorization", "Bearer " + TOKEN);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(f.cachedFile("alpha", GOOD)).doesNotExist();
        assertThat(Http.post(purge, "Authorization", "Bearer " + TOKEN).statusCode()).as("nothing left").isEqualTo(404);
        assertThat(value(Http.get(admin + "/metrics").body(), "signet_cache_entries")).isZero();

        assertThat(f.get("/packages/alpha/" + GOOD).statusCode()).isEqualTo(200);
        assertThat(f.upstream().requestCount("/packages/" + GOOD)).as("fetched again after the purge").isEqualTo(2);
        assertThat(f.upstream().requestCount("/simple/alpha/")).isEqualTo(1);
        assertThat(Http.post(admin + "/purge/page/Alpha", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(f.get("/simple/alpha/").statusCode()).isEqualTo(200);
        assertThat(f.upstream().requestCount("/simple/alpha/")).as("page fetched again after its purge").isEqualTo(2);

        HttpResponse<String> all = Http.post(admin + "/purge/all", "Authorization", "Bearer " + TOKEN);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.body()).contains("1 artifacts");
        assertThat(f.cacheFiles()).isEmpty();
        assertThat(Http.get(admin + "/purge/all", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(405);
    }

    @Test
    void nothingAdministrativeAnswersOnThePublicPort() throws Exception {
        for (String path : List.of("/metrics", "/livez", "/readyz", "/purge/all")) {
            assertThat(f.get(path).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void probesCanRequireTheToken(@TempDir Path other) throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        try (SignetFixture closed = SignetFixture.start(other, List.of(WheelBuilder.wheel("alpha", "1.0.0")),
                new MinisignArtifactSigner(key.secretKey()), key.publicKey().encoded(),
                Map.of("admin-token", TOKEN, "admin-open-probes", "false"))) {
            String url = "http://127.0.0.1:" + closed.signet().adminAddress().getPort();
            for (String path : List.of("/metrics", "/livez", "/readyz")) {
                assertThat(Http.get(url + path).statusCode()).as(path).isEqualTo(401);
                assertThat(Http.get(url + path, "Authorization", "Bearer " + TOKEN).statusCode()).as(path).isEqualTo(200);
            }
        }
    }

    /** The value of one sample line, e.g. {@code name{tag="x"} 3.0}. */
    private static long value(String metrics, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " ([0-9.eE+-]+)$").matcher(metrics);
        assertThat(m.find()).as("sample %s in%n%s", sample, metrics).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }
}
