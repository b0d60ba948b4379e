package dev.signet.server.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.artifact.FillRegistry;
import dev.signet.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status page's HTML as a pure function of a snapshot: what it shows, and that nothing from outside is markup. */
class StatusPageTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final String EVIL = "<script>alert(1)</script>\"'&";

    @Test
    void showsVersionUptimeCacheHitRatioFillsRefusalsAndSettings() {
        String html = StatusPage.render(snapshot(
                List.of(new FillRegistry.Status("big", "big-1.0-py3-none-any.whl", 50L << 20, 200L << 20, 5.0,
                        10 << 20, 3)),
                List.of(new RecentRefusals.Refusal(NOW.minusSeconds(90), "demo", "demo-2.0-py3-none-any.whl",
                        "no_signature", "refused demo-2.0-py3-none-any.whl: no signature"))));

        assertThat(html).startsWith("<!DOCTYPE html>")
                .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .contains("signet 1.2.3").contains("up 1 h 1 min")
                .contains("1.0 GiB").contains("of 4.0 GiB (25%), 7 files")
                .contains("Hit ratio, last 5 min").contains("75.0%").contains("30 hits, 10 misses")
                .contains("<b>primary</b>").contains("https://&lt;redacted&gt;@pypi.example/simple/").contains("class=\"ok\">up")
                .contains("last answer 2xx, 2 s ago &middot; 1 exchange<")
                .contains("big / <b>big-1.0-py3-none-any.whl</b>")
                .contains("<progress value=\"52428800\" max=\"209715200\"></progress>")
                .contains("50.0 MiB of 200.0 MiB (25%)").contains("10.0 MiB/s").contains("3 waiting")
                .contains("demo-2.0-py3-none-any.whl").contains("no_signature").contains("1 min 30 s ago")
                .contains("index-ttl: 10m");
    }

    @Test
    void noScriptNoExternalResource() {
        String html = StatusPage.render(snapshot(List.of(), List.of()));
        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContain("src=").doesNotContain("href=")
                .doesNotContain("url(").doesNotContain("@import");
        assertThat(html).contains("Fills in progress (0)").contains("none since start");
    }

    @Test
    void everythingFromOutsideIsEscaped() {
        StatusSnapshot evil = new StatusSnapshot(EVIL, NOW, Duration.ZERO, false, "not ready: " + EVIL,
                List.of(new StatusSnapshot.Upstream(EVIL, "http://up/" + EVIL, null)),
                new StatusSnapshot.Cache(0, 1, 0, 0, 0), new HitWindow.Counts(0, 0, Duration.ofMinutes(5)),
                List.of(new FillRegistry.Status(EVIL, EVIL + ".whl", 1, null, 1, 1, 1)),
                List.of(new RecentRefusals.Refusal(NOW, EVIL, EVIL, EVIL, EVIL)), "upstream: " + EVIL);

        String html = StatusPage.render(evil);
        assertThat(html).doesNotContain("<script>").doesNotContain("\"'&<")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;")
                .contains("size not listed").contains("not contacted yet").contains("class=\"bad\"");
    }

    @Test
    void aServerStartedWithoutItsConfigurationTextSaysWhereToFindTheSettings() {
        StatusSnapshot s = new StatusSnapshot("signet x", NOW, Duration.ZERO, true, "ready", List.of(),
                new StatusSnapshot.Cache(0, 1, 0, 0, 0), new HitWindow.Counts(0, 0, Duration.ofMinutes(5)),
                List.of(), List.of(), null);
        assertThat(StatusPage.render(s)).contains("not known to this server").doesNotContain("null");
    }

    @Test
    void controlCharactersAreNotPassedThrough() {
        assertThat(Html.escape("a\u0000b\u001bc\u007fd\te\nf")).isEqualTo("a?b?c?d\te\nf");
    }

    @Test
    void failingUpstreamSaysSoWithItsLastAnswer() {
        MutableClock clock = new MutableClock(NOW.minusSeconds(30));
        UpstreamHealth health = new UpstreamHealth(clock);
        health.exchanged("pypi.example", "2xx");
        health.exchanged("pypi.example", "timeout");
        health.exchanged("PYPI.example", "connect");
        clock.advance(Duration.ofSeconds(30));

        UpstreamHealth.Host host = health.of("pypi.example");
        assertThat(host.healthy()).isFalse();
        assertThat(host.failuresInARow()).isEqualTo(2);
        assertThat(host.exchanges()).isEqualTo(3);
        StatusSnapshot s = new StatusSnapshot("signet x", NOW, Duration.ZERO, true, "ready",
                List.of(new StatusSnapshot.Upstream("primary", "http://pypi.example/simple/", host)),
                new StatusSnapshot.Cache(0, 1, 0, 0, 0), new HitWindow.Counts(0, 0, Duration.ofMinutes(5)),
                List.of(), List.of(), "");
        assertThat(StatusPage.render(s)).contains("failing (2 in a row)").contains("last answer connect, 30 s ago");

        health.exchanged("pypi.example", "4xx");
        assertThat(health.of("pypi.example").healthy()).as("a 404 is an answer").isTrue();
    }

    @Test
    void refusalRingKeepsTheNewestOnly() {
        RecentRefusals ring = new RecentRefusals(3, new MutableClock(NOW));
        for (int i = 1; i <= 5; i++) {
            ring.add("p", "f" + i, "bad_signature", "refused f" + i);
        }
        assertThat(ring.list()).extracting(RecentRefusals.Refusal::file).containsExactly("f5", "f4", "f3");
    }

    @Test
    void unitsReadLikeTheProgressLog() {
        assertThat(StatusPage.bytes(0)).isEqualTo("0 B");
        assertThat(StatusPage.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(StatusPage.bytes(3L << 30)).isEqualTo("3.0 GiB");
        assertThat(StatusPage.duration(Duration.ofSeconds(59))).isEqualTo("59 s");
        assertThat(StatusPage.duration(Duration.ofSeconds(120))).isEqualTo("2 min");
        assertThat(StatusPage.duration(Duration.ofDays(3).plusHours(4).plusMinutes(5))).isEqualTo("3 d 4 h");
    }

    private static StatusSnapshot snapshot(List<FillRegistry.Status> fills, List<RecentRefusals.Refusal> refusals) {
        UpstreamHealth health = new UpstreamHealth(new MutableClock(NOW.minusSeconds(2)));
        health.exchanged("pypi.example", "2xx");
        return new StatusSnapshot("signet 1.2.3", NOW, Duration.ofMinutes(61), true, "ready",
                List.of(new StatusSnapshot.Upstream("primary", "https://<redacted>@pypi.example/simple/",
                        health.of("pypi.example"))),
                new StatusSnapshot.Cache(1L << 30, 4L << 30, 7, 0, 0), new HitWindow.Counts(30, 10, Duration.ofMinutes(5)),
                fills, refusals, "index-ttl: 10m\nadmin-token: <redacted>\n");
    }
}
