package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.signet.server.demo.Fault;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Eventually;
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
import org.slf4j.LoggerFactory;

/**
 * Regression (issue 14): the access log said {@code cache=-} for every index page, and every page said
 * {@code Cache-Control: max-age=600} whatever {@code index-ttl} was. Now each page view logs (and answers in
 * {@code X-Signet-Cache}) what the page cache did: {@code hit}, {@code revalidated}, {@code stale}, {@code miss},
 * {@code negative}; and {@code Cache-Control} is {@code index-ttl}, with {@code Age}.
 */
class PageCacheOutcomeIT {

    private static final String PAGE = "/simple/fresh/";

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Logger accessLogger = (Logger) LoggerFactory.getLogger("signet.access");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private SignetFixture f;

    @BeforeEach
    void start() throws Exception {
        lines.start();
        accessLogger.addAppender(lines);
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        f = SignetFixture.start(dir, List.of(WheelBuilder.wheel("fresh", "1.0.0")),
                new MinisignArtifactSigner(key.secretKey()), key.publicKey().encoded(),
                Map.of("index-ttl", "3m", "negative-ttl", "1m", "max-stale", "1h"), clock);
    }

    @AfterEach
    void stop() {
        f.close();
        accessLogger.detachAppender(lines);
    }

    @Test
    void accessLogAndHeaderNameThePageCacheOutcomeOfEveryPageView() throws Exception {
        assertOutcome(f.get(PAGE), 200, "miss");

        clock.advance(Duration.ofMinutes(1));
        assertOutcome(f.get(PAGE), 200, "hit");

        clock.advance(Duration.ofMinutes(3));
        assertOutcome(f.get(PAGE), 200, "revalidated");
        assertThat(f.upstream().notModifiedCount(PAGE)).isEqualTo(1);

        f.upstream().override(PAGE, Fault.status(503));
        clock.advance(Duration.ofMinutes(4));
        assertOutcome(f.get(PAGE), 200, "stale");

        assertOutcome(f.get("/simple/absent/"), 404, "miss");
        clock.advance(Duration.ofSeconds(30));
        assertOutcome(f.get("/simple/absent/"), 404, "negative");
        assertThat(f.upstream().requestCount("/simple/absent/")).isEqualTo(1);
    }

    @Test
    void projectListLogsItsOutcomeToo() throws Exception {
        assertOutcome(f.get("/simple/"), 200, "miss");
        assertOutcome(f.get("/simple/"), 200, "hit");
    }

    @Test
    void pageCacheControlIsTheIndexTtlWithTheAgeBesideIt() throws Exception {
        f.get(PAGE);
        clock.advance(Duration.ofSeconds(40));
        HttpResponse<byte[]> cached = f.get(PAGE);
        assertThat(cached.headers().firstValue("cache-control")).hasValue("max-age=180");
        assertThat(cached.headers().firstValue("age")).hasValue("40");
        assertThat(f.get("/simple/").headers().firstValue("cache-control")).hasValue("max-age=180");

        f.restart(Map.<String, Object>of("index-ttl", "0s"));
        assertThat(f.get(PAGE).headers().firstValue("cache-control")).as("index-ttl 0: always revalidate")
                .hasValue("no-cache");
    }

    private void assertOutcome(HttpResponse<byte[]> response, int status, String outcome) {
        assertThat(response.statusCode()).isEqualTo(status);
        if (status == 200) {
            assertThat(response.headers().firstValue("x-signet-cache")).as("X-Signet-Cache").hasValue(outcome);
        }
        String path = response.uri().getPath();
        String expected = " GET " + path + " " + status + " ";
        Eventually.await("access line for " + path, Duration.ofSeconds(10), () -> snapshot().stream()
                .anyMatch(e -> e.getFormattedMessage().contains(expected)));
        String line = lastLineFor(expected);
        assertThat(line).contains(" cache=" + outcome + " ");
        synchronized (lines) {
            lines.list.clear();
        }
    }

    /** ListAppender appends under its own lock (AppenderBase.doAppend is synchronized), so copy under it. */
    private List<ILoggingEvent> snapshot() {
        synchronized (lines) {
            return List.copyOf(lines.list);
        }
    }

    private String lastLineFor(String expected) {
        List<ILoggingEvent> all = snapshot();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).getFormattedMessage().contains(expected)) {
                return all.get(i).getFormattedMessage();
            }
        }
        throw new AssertionError("no line " + expected);
    }
}
