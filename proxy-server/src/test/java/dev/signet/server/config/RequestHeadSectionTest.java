package dev.signet.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code request-head.*} settings: defaults, environment and command-line overrides, every validation error at once. */
class RequestHeadSectionTest {

    private static final String KEY = "RWToHZEzNE8PLs53lNYF/LLnyAhz54PlV5wlyW0Zas6+nfEn5wTBXL05";

    private static Map<String, Object> minimal() {
        Map<String, Object> m = new HashMap<>();
        m.put("upstream", "http://index.test/simple/");
        m.put("trusted-keys", List.of(KEY));
        return m;
    }

    @Test
    void defaultsAreTheDocumentedOnes() throws ConfigException {
        RequestHeadLimits limits = ConfigLoader.load(null, Map.of(), minimal()).requestHead();
        assertThat(limits).isEqualTo(RequestHeadLimits.DEFAULTS);
        assertThat(limits).isEqualTo(new RequestHeadLimits(8192, 32768, 100, Duration.ofSeconds(30)));
    }

    @Test
    void environmentAndCommandLineOverride() throws ConfigException {
        Map<String, Object> cli = minimal();
        cli.put("request-head.timeout", "500ms");
        RequestHeadLimits limits = ConfigLoader.load(null, Map.of("SIGNET_REQUEST_HEAD_MAX_REQUEST_LINE", "16KiB",
                "SIGNET_REQUEST_HEAD_MAX_HEADER_SIZE", "64KiB", "SIGNET_REQUEST_HEAD_MAX_HEADERS", "50"), cli).requestHead();
        assertThat(limits).isEqualTo(new RequestHeadLimits(16384, 65536, 50, Duration.ofMillis(500)));
    }

    @Test
    void everyInvalidValueIsReportedAtOnce() {
        Map<String, Object> cli = minimal();
        cli.put("request-head.max-request-line", "100");
        cli.put("request-head.max-header-size", "2MiB");
        cli.put("request-head.max-headers", "many");
        cli.put("request-head.timeout", "0s");
        try {
            ConfigLoader.load(null, Map.of(), cli);
            throw new AssertionError("accepted");
        } catch (ConfigException e) {
            assertThat(e.errors()).containsExactlyInAnyOrder(
                    "request-head.max-request-line: must be between 1KiB and 1MiB, got 100",
                    "request-head.max-header-size: must be between 1KiB and 1MiB, got 2MiB",
                    "request-head.max-headers: expected a whole number, got 'many'",
                    "request-head.timeout: must be greater than zero");
        }
    }
}
