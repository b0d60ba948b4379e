package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.Fault;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.MutableClock;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Index page freshness with an injected clock: TTL, revalidation with the upstream's ETag, negative TTL, stale serving
 * while the upstream is down (also after a restart), the max stale age, and offline mode.
 */
class PageFreshnessIT {

    private static final String PAGE = "/simple/fresh/";
    private static final String UPSTREAM_PAGE = "/simple/fresh/";
    private static final String FILE = "fresh-1.0.0-py3-none-any.whl";

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private SignetFixture f;

    @BeforeEach
    void start() throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        f = SignetFixture.start(dir, List.of(WheelBuilder.wheel("fresh", "1.0.0")),
                new MinisignArtifactSigner(key.secretKey()), key.publicKey().encoded(),
                Map.of("index-ttl", "10m", "negative-ttl", "1m", "max-stale", "1h"), clock);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void freshPageIsReusedThenRevalidatedWithTheUpstreamEtag() throws Exception {
        String first = body(f.get(PAGE));
        assertThat(f.upstream().requestCount(UPSTREAM_PAGE)).isEqualTo(1);

        clock.advance(Duration.ofMinutes(9));
        HttpResponse<byte[]> cached = f.get(PAGE);
        assertThat(body(cached)).isEqualTo(first);
        assertThat(cached.headers().firstValue("age")).hasValue("540");
        assertThat(f.upstream().requestCount(UPSTREAM_PAGE)).isEqualTo(1);

        clock.advance(Duration.ofMinutes(2));
        HttpResponse<byte[]> revalidated = f.get(PAGE);
        assertThat(body(revalidated)).isEqualTo(first);
        assertThat(revalidated.headers().firstValue("age")).hasValue("0");
        assertThat(revalidated.headers().firstValue("warning")).isEmpty();
        assertThat(f.upstream().requestCount(UPSTREAM_PAGE)).isEqualTo(2);
        assertThat(f.upstream().notModifiedCount(UPSTREAM_PAGE)).as("revalidated with If-None-Match").isEqualTo(1);
    }

    @Test
    void notFoundIsRememberedForTheNegativeTtl() throws Exception {
        assertThat(f.get("/simple/absent/").statusCode()).isEqualTo(404);
        clock.advance(Duration.ofSeconds(59));
        assertThat(f.get("/simple/absent/").statusCode()).isEqualTo(404);
        assertThat(f.upstream().requestCount("/simple/absent/")).isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));
        assertThat(f.get("/simple/absent/").statusCode()).isEqualTo(404);
        assertThat(f.upstream().requestCount("/simple/absent/")).isEqualTo(2);
    }

    @Test
    void stalePageIsServedWhileTheUpstreamFailsUntilMaxStale() throws Exception {
        String first = body(f.get(PAGE));
        f.upstream().override(UPSTREAM_PAGE, Fault.status(503));

        clock.advance(Duration.ofMinutes(11));
        HttpResponse<byte[]> stale = f.get(PAGE);
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(body(stale)).isEqualTo(first);
        assertThat(stale.headers().firstValue("warning")).hasValueSatisfying(w -> assertThat(w).startsWith("110 "));
        assertThat(stale.headers().firstValue("age")).hasValue("660");

        clock.advance(Duration.ofHours(1));
        assertThat(f.get(PAGE).statusCode()).as("older than ttl + max-stale").isEqualTo(502);
    }

    @Test
    void stalePageSurvivesARestartWhileTheUpstreamIsDown() throws Exception {
        String first = body(f.get(PAGE));
        assertThat(f.get("/packages/fresh/" + FILE).statusCode()).isEqualTo(200);
        f.upstream().override(UPSTREAM_PAGE, Fault.status(503));
        f.upstream().override("/packages/" + FILE, Fault.status(503));
        f.upstream().override("/simple/never-seen/", Fault.status(503));
        f.restart();
        clock.advance(Duration.ofMinutes(30));

        HttpResponse<byte[]> stale = f.get(PAGE);
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(body(stale)).isEqualTo(first);
        assertThat(stale.headers().firstValue("warning")).isPresent();
        assertThat(f.get("/packages/fresh/" + FILE).statusCode()).as("cached artifact, re-verified from disk").isEqualTo(200);
        assertThat(f.get("/simple/never-seen/").statusCode()).as("uncached fails fast with a reason").isEqualTo(502);
    }

    @Test
    void offlineModeNeverContactsTheUpstream() throws Exception {
        String first = body(f.get(PAGE));
        assertThat(f.get("/packages/fresh/" + FILE).statusCode()).isEqualTo(200);
        f.restart(Map.of("offline", "true"));
        f.upstream().resetCounts();
        clock.advance(Duration.ofDays(30));

        assertThat(body(f.get(PAGE))).isEqualTo(first);
        assertThat(f.get("/packages/fresh/" + FILE).statusCode()).isEqualTo(200);
        assertThat(f.get("/simple/never-seen/").statusCode()).isEqualTo(404);
        assertThat(f.upstream().requestCount(UPSTREAM_PAGE)).isZero();
        assertThat(f.upstream().requestCount("/simple/never-seen/")).isZero();
        assertThat(f.upstream().requestCount("/packages/" + FILE)).isZero();
    }

    /**
     * Regression (issue 10, item 7): offline mode fetched the {@code .minisig} and the file of an artifact whose page
     * was cached but which was not. It is now answered 504 (RFC 9111 only-if-cached) with a reason and no upstream
     * request; no artifact byte goes out and nothing is cached.
     */
    @Test
    void offlineModeAnswersAnUncachedArtifactOfACachedPage504WithoutContactingTheUpstream() throws Exception {
        body(f.get(PAGE));
        f.restart(Map.of("offline", "true"));
        f.upstream().resetCounts();

        HttpResponse<byte[]> uncached = f.get("/packages/fresh/" + FILE);
        String reason = new String(uncached.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(uncached.statusCode()).as(reason).isEqualTo(504);
        assertThat(reason).contains(FILE).contains("offline");
        assertThat(reason.strip()).doesNotContain("\n");
        assertThat(uncached.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
        assertThat(uncached.body().length).isLessThan(512);
        assertThat(f.head("/packages/fresh/" + FILE).statusCode()).isEqualTo(504);
        assertThat(f.upstream().totalRequestCount()).as("no upstream request of any kind").isZero();
        assertThat(f.cacheFiles()).as("nothing cached, no temp file").isEmpty();
        assertThat(f.signet().artifacts().fillsInProgress()).isZero();
    }

    private static String body(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
