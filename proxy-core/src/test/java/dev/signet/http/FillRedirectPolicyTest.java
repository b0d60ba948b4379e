package dev.signet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.http.FillRedirectPolicy.Decision;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FillRedirectPolicyTest {

    private final FillRedirectPolicy tenSeconds = new FillRedirectPolicy(Duration.ofSeconds(10));

    @ParameterizedTest(name = "waited {0} ms on hop {1} of {2}: {3}")
    @CsvSource({
            // waited, hop, limit, expected
            "0,     0,  30, wait 10000",
            "9999,  0,  30, wait 1",
            "10000, 0,  30, redirect 1",
            "25000, 0,  30, redirect 1",
            "10000, 29, 30, redirect 30",
            // The client follows no more redirects: hold the request until the verdict.
            "0,     30, 30, hold",
            "99999, 30, 30, hold",
            "10000, 10, 10, hold",
            "10000, 9,  10, redirect 10",
            // A clock that went backwards counts as no wait at all.
            "-500,  0,  10, wait 10000",
    })
    void decidesFromWaitHopAndLimit(long waited, int hop, int limit, String expected) {
        assertThat(describe(tenSeconds.decide(waited, hop, limit))).isEqualTo(expected);
    }

    @Test
    void zeroIntervalTurnsRedirectsOff() {
        assertThat(FillRedirectPolicy.OFF.decide(0, 0, 30)).isEqualTo(new Decision.Hold());
        assertThat(FillRedirectPolicy.OFF.decide(Long.MAX_VALUE, 0, 30)).isEqualTo(new Decision.Hold());
    }

    @Test
    void negativeIntervalIsRefused() {
        assertThatThrownBy(() -> new FillRedirectPolicy(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "pip/23.2.1 {\"installer\":{\"name\":\"pip\"}}|30",
            "python-requests/2.31.0|30",
            "poetry/1.8.3|30",
            "uv/0.4.18 {\"installer\":{\"name\":\"uv\"}}|10",
            // Clients not known to follow redirects are never sent one: they wait for the verdict.
            "curl/8.5.0|0",
            "Java-http-client/17|0",
            "Wget/1.21|0",
            "|0",
            "pipx/1.0|0",
            "uvicorn-client/1|0",
    })
    void hopLimitFollowsTheClientsRedirectLimit(String userAgent, int limit) {
        assertThat(FillRedirectPolicy.hopLimit(userAgent)).isEqualTo(limit);
    }

    @Test
    void aClientGivenNoHopsIsHeldFromTheStart() {
        assertThat(tenSeconds.decide(60_000, 0, FillRedirectPolicy.hopLimit("curl/8.5.0"))).isEqualTo(new Decision.Hold());
    }

    @ParameterizedTest(name = "{0}: hop {1}")
    @CsvSource(delimiter = '|', value = {
            "/packages/p/p-1.0.whl|0",
            "/packages/p/p-1.0.whl?signet-wait=3|3",
            "/packages/p/p-1.0.whl?x=1&signet-wait=12|12",
            "/packages/p/p-1.0.whl?signet-wait=|0",
            "/packages/p/p-1.0.whl?signet-wait=-4|0",
            "/packages/p/p-1.0.whl?signet-wait=3x|0",
            "/packages/p/p-1.0.whl?signet-wait=99999999999999|0",
            "/packages/p/p-1.0.whl?signet-wait=5000|1000",
            "/packages/p/p-1.0.whl?other-signet-wait=7|0",
    })
    void hopIsReadFromTheQueryAndNothingElse(String target, int hop) {
        assertThat(FillRedirectPolicy.hopOf(target)).isEqualTo(hop);
    }

    @Test
    void locationIsThePathWithTheNextHop() {
        String location = FillRedirectPolicy.location("/packages/p/p-1.0.whl", 4);
        assertThat(location).isEqualTo("/packages/p/p-1.0.whl?signet-wait=4");
        assertThat(FillRedirectPolicy.hopOf(location)).isEqualTo(4);
    }

    private static String describe(Decision decision) {
        if (decision instanceof Decision.Wait wait) {
            return "wait " + wait.millis();
        }
        if (decision instanceof Decision.Redirect redirect) {
            return "redirect " + redirect.nextHop();
        }
        return "hold";
    }
}
