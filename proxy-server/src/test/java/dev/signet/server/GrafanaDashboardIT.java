package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.server.demo.Fault;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Eventually;
import dev.signet.server.testing.Http;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/grafana-dashboard.json} queries only metrics that exist: every metric name in every panel's PromQL is in
 * {@code /metrics} of a running Signet after ordinary traffic (pages, a fill, a hit, a re-verification after a restart,
 * a refusal, an upstream error). A
 * renamed metric fails this test instead of leaving an empty panel for an operator to puzzle over.
 */
class GrafanaDashboardIT {

    private static final Path DASHBOARD = Path.of("..", "docs", "grafana-dashboard.json");
    /** Metric names as Signet's registry writes them; label names and PromQL functions never start this way. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:signet|jvm|process|netty|system)_[a-z0-9_]+)\\b");

    @Test
    void everyMetricTheDashboardQueriesIsInMetricsAfterSomeTraffic(@TempDir Path dir) throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        List<String> expressions = new ArrayList<>();
        collect(dashboard.get("panels"), expressions);
        Set<String> queried = new TreeSet<>();
        for (String expression : expressions) {
            // Label values in quotes ({area="heap"}) are not metric names.
            Matcher m = METRIC.matcher(expression.replaceAll("\"[^\"]*\"", "\"\""));
            while (m.find()) {
                queried.add(m.group(1));
            }
        }
        assertThat(expressions).as("panels with queries").hasSizeGreaterThan(10);
        assertThat(queried).as("metrics the dashboard queries").hasSizeGreaterThan(15);

        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        try (SignetFixture f = SignetFixture.start(dir, List.of(WheelBuilder.wheel("alpha", "1.0.0"),
                        WheelBuilder.wheel("beta", "1.0.0"), WheelBuilder.wheel("victim", "1.0.0")),
                new MinisignArtifactSigner(key.secretKey()), key.publicKey().encoded(), Map.of())) {
            String good = "alpha-1.0.0-py3-none-any.whl";
            String bad = "victim-1.0.0-py3-none-any.whl";
            byte[] tampered = f.upstreamBytes(bad);
            tampered[tampered.length / 2] ^= 1;
            f.upstream().override("/packages/" + bad, Fault.body(tampered));
            f.upstream().override("/simple/broken/", Fault.status(503));
            assertThat(f.get("/packages/alpha/" + good).statusCode()).isEqualTo(200);
            // After a restart the cached file is re-verified before its first serve (signet_cache_reverifications).
            f.restart();
            assertThat(f.get("/simple/").statusCode()).isEqualTo(200);
            assertThat(f.get("/simple/alpha/").statusCode()).isEqualTo(200);
            assertThat(f.get("/packages/alpha/" + good).statusCode()).isEqualTo(200);
            assertThat(f.get("/packages/alpha/" + good).statusCode()).isEqualTo(200);
            assertThat(f.get("/packages/beta/beta-1.0.0-py3-none-any.whl").statusCode()).isEqualTo(200);
            assertThat(f.get("/packages/victim/" + bad).statusCode()).isEqualTo(403);
            assertThat(f.get("/simple/broken/").statusCode()).isEqualTo(502);

            // A long-running Signet has collected garbage many times; this JVM may not have since the restart, and
            // jvm_gc_pause_seconds exists only after a pause. The listener records it asynchronously: wait for it.
            System.gc();
            String admin = "http://127.0.0.1:" + f.signet().adminAddress().getPort();
            Eventually.await("a GC pause in /metrics", Duration.ofSeconds(30),
                    () -> exposed(admin).contains("jvm_gc_pause_seconds_count"));
            assertThat(exposed(admin)).as("metric names in /metrics").containsAll(queried);
        }
    }

    private static Set<String> exposed(String admin) {
        try {
            Set<String> names = new TreeSet<>();
            for (String line : Http.get(admin + "/metrics").body().split("\n")) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    names.add(line.split("[{ ]", 2)[0]);
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every {@code expr} of every target, in rows' nested panels too. */
    private static void collect(JsonNode panels, List<String> into) {
        if (panels == null) {
            return;
        }
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                into.add(target.get("expr").asText());
            }
            collect(panel.get("panels"), into);
        }
    }
}
