package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.events.SignetListener;
import dev.signet.server.artifact.FillRegistry;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.demo.Fault;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.StaticIndex;
import dev.signet.server.demo.StaticIndexServer;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Eventually;
import dev.signet.server.testing.Http;
import dev.signet.server.testing.JsonIndexServer;
import dev.signet.server.testing.PacedRelay;
import dev.signet.server.testing.Pip;
import dev.signet.server.testing.Processes;
import dev.signet.server.testing.RawConnection;
import dev.signet.sig.MinisignKeyPair;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Fills that take longer than an installer's read timeout, through an upstream whose answers are paced like a slow
 * link: no byte goes out before the verdict, and yet no installer times out, because a request still waiting after
 * {@code fill-redirect-after} is sent {@code 307} to the same artifact and its next hop joins the same fill. Long fills
 * are visible on {@code GET /fills}, in the log and in the metrics.
 */
class SlowFillIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void pipWithDefaultSettingsInstallsAWheelWhoseFillOutlastsItsReadTimeoutWithoutARetry(@TempDir Path dir) throws Exception {
        // 320 MiB at 10 MB/s: the fill takes at least 33 s, more than twice pip's 15 s read timeout.
        WheelBuilder wheel = WheelBuilder.wheel("slowwheel", "1.0.0").padding(320L << 20, 7);
        try (PacedSignet s = PacedSignet.start(dir, wheel, 10_000_000, Map.of())) {
            Processes.Result pip = Pip.install(dir, s.simpleUrl(), dir.resolve("target"), List.of(), "slowwheel==1.0.0");

            assertThat(pip.exitCode()).as(pip.output()).isZero();
            assertThat(pip.output()).as("pip read no timeout and retried nothing")
                    .doesNotContain("Retrying").doesNotContain("ReadTimeout").doesNotContainIgnoringCase("timed out");
            // pip checked the page's #sha256 of the whole wheel; the installed file is also the signed one's.
            Path upstreamWheel = s.index.root().resolve("packages").resolve(wheel.fileName());
            try (ZipFile zip = new ZipFile(upstreamWheel.toFile()); InputStream signed = zip.getInputStream(zip.getEntry("slowwheel/_padding.bin"));
                 InputStream installed = Files.newInputStream(dir.resolve("target").resolve("slowwheel").resolve("_padding.bin"))) {
                assertThat(sha256(installed)).isEqualTo(sha256(signed));
            }
            assertThat(Files.mismatch(s.cachedFile(wheel), upstreamWheel)).isEqualTo(-1);
            assertThat(s.files.requestCount("/packages/" + wheel.fileName())).isEqualTo(1);
            // The pace makes the fill outlast at least three 10 s intervals: pip followed redirects to get here.
            assertThat(s.counter("signet.fill.redirects")).isGreaterThanOrEqualTo(2);
            assertThat(s.timer("signet.fill.duration", "committed").count()).isEqualTo(1);
        }
    }

    @Test
    void aPacedFillIsOnFillsAndInTheLogWithBytesTotalAndWaitersWhileItRuns(@TempDir Path dir) throws Exception {
        // 24 MiB at 2 MiB/s: about 12 s, which spans at least one 5 s progress tick after the fill is 5 s old.
        WheelBuilder wheel = WheelBuilder.wheel("pacedwheel", "1.0.0").padding(24L << 20, 11);
        Logger progressLog = (Logger) LoggerFactory.getLogger(FillRegistry.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        progressLog.addAppender(lines);
        try (PacedSignet s = PacedSignet.start(dir, wheel, 2L << 20, Map.of("fill-redirect-after", "1s"))) {
            String path = "/packages/pacedwheel/" + wheel.fileName();
            long size = Files.size(s.index.root().resolve("packages").resolve(wheel.fileName()));
            CompletableFuture<Chain> client = CompletableFuture.supplyAsync(() -> follow(s, "GET", path));
            // A second client gives up after its first redirect: the fill it joined goes on for the other one.
            try (RawConnection quitter = new RawConnection(s.port())) {
                assertThat(quitter.send("GET", path, PIP).status()).isEqualTo(307);
            }

            JsonNode[] seen = new JsonNode[1];
            Eventually.await("a fill with bytes, its total and a waiting client on /fills", Duration.ofSeconds(60), () -> {
                JsonNode fills = s.fills();
                for (JsonNode fill : fills) {
                    if (fill.get("file").asText().equals(wheel.fileName()) && fill.get("bytes").asLong() > 0
                            && fill.get("waiting").asInt() >= 1) {
                        seen[0] = fill;
                        return true;
                    }
                }
                return false;
            });
            assertThat(seen[0].get("project").asText()).isEqualTo("pacedwheel");
            assertThat(seen[0].get("total").asLong()).isEqualTo(size);
            assertThat(seen[0].get("bytes").asLong()).isBetween(1L, size);
            assertThat(seen[0].get("bytes_per_second").asDouble()).isPositive();
            assertThat(seen[0].get("elapsed_seconds").asDouble()).isPositive();

            Chain chain = client.get(2, TimeUnit.MINUTES);
            assertThat(chain.last().status()).isEqualTo(200);
            assertThat(chain.last().body()).isEqualTo(s.upstreamBytes(wheel));
            assertHopsCarryNothing(chain, path);
            assertThat(s.files.requestCount("/packages/" + wheel.fileName())).isEqualTo(1);

            Eventually.await("a progress line", Duration.ofSeconds(30), () -> lines.list.stream()
                    .anyMatch(e -> e.getFormattedMessage().startsWith("fill of " + wheel.fileName() + ": ")));
            assertThat(lines.list).map(ILoggingEvent::getFormattedMessage)
                    .filteredOn(line -> line.startsWith("fill of " + wheel.fileName()))
                    .allMatch(line -> line.matches("fill of \\S+: \\d+\\.\\d MiB of 24\\.0 MiB \\(\\d+%\\) after \\d+ s, "
                            + "\\d+\\.\\d MiB/s, \\d+ request\\(s\\) waiting"));
            assertThat(s.fills()).isEmpty();
            assertThat(s.counter("signet.fill.redirects")).isGreaterThanOrEqualTo(chain.hops().size());
            assertThat(s.timer("signet.fill.duration", "committed").count()).isEqualTo(1);
            assertThat(s.registry().find("signet.fill.throughput").summary().count()).isEqualTo(1);
            assertThat(s.registry().find("signet.fill.throughput").summary().totalAmount()).isPositive();
        } finally {
            progressLog.detachAppender(lines);
        }
    }

    @Test
    void aRefusalArrivingWhileTheClientIsBeingRedirectedIsStillA403WithTheReasonAndNothingIsCached(@TempDir Path dir)
            throws Exception {
        WheelBuilder wheel = WheelBuilder.wheel("badwheel", "1.0.0").padding(6L << 20, 5);
        try (PacedSignet s = PacedSignet.start(dir, wheel, 1L << 20, Map.of("fill-redirect-after", "1s"))) {
            // Same length, one bit flipped in the middle: only the checks at the end of the body can tell.
            byte[] tampered = s.upstreamBytes(wheel);
            tampered[tampered.length / 2] ^= 1;
            s.files.override("/packages/" + wheel.fileName(), Fault.body(tampered));

            Chain chain = follow(s, "GET", "/packages/badwheel/" + wheel.fileName());

            assertThat(chain.hops()).as("the refusal came after the client had been redirected").isNotEmpty();
            assertHopsCarryNothing(chain, "/packages/badwheel/" + wheel.fileName());
            assertThat(chain.last().status()).isEqualTo(403);
            assertThat(new String(chain.last().body())).contains(wheel.fileName()).contains("bad signature");
            assertThat(s.cacheFiles()).isEmpty();
        }
    }

    @Test
    void headRangeAndTheLastHopAllJoinOneFillAndGetTheVerifiedAnswer(@TempDir Path dir) throws Exception {
        WheelBuilder wheel = WheelBuilder.wheel("rangewheel", "1.0.0").padding(8L << 20, 3);
        try (PacedSignet s = PacedSignet.start(dir, wheel, 2L << 20, Map.of("fill-redirect-after", "1s"))) {
            String path = "/packages/rangewheel/" + wheel.fileName();
            byte[] bytes = s.upstreamBytes(wheel);
            CompletableFuture<Chain> get = CompletableFuture.supplyAsync(() -> follow(s, "GET", path));
            CompletableFuture<Chain> head = CompletableFuture.supplyAsync(() -> follow(s, "HEAD", path));
            CompletableFuture<Chain> range = CompletableFuture.supplyAsync(() -> follow(s, "GET", path, "Range: bytes=1000-1999"));
            // A client on the last hop it follows (uv: 10) is held until the verdict, never redirected again.
            CompletableFuture<Chain> lastHop = CompletableFuture.supplyAsync(
                    () -> follow(s, "GET", path + "?signet-wait=10", "User-Agent: uv/0.5.0"));
            // So is a client not known to follow redirects: it would take an empty 307 for the file.
            CompletableFuture<Chain> curl = CompletableFuture.supplyAsync(() -> follow(s, "GET", path, "User-Agent: curl/8.5.0"));
            // A query Signet did not write is ignored: the request joins the same fill and follows hops like any.
            CompletableFuture<Chain> otherQuery = CompletableFuture.supplyAsync(() -> follow(s, "GET", path + "?x=1&signet-wait=abc"));

            assertThat(get.get(2, TimeUnit.MINUTES).last().body()).isEqualTo(bytes);
            RawConnection.Response headAnswer = head.get(2, TimeUnit.MINUTES).last();
            assertThat(headAnswer.status()).isEqualTo(200);
            assertThat(headAnswer.header("content-length")).isEqualTo(Long.toString(bytes.length));
            assertThat(headAnswer.body()).isEmpty();
            RawConnection.Response partial = range.get(2, TimeUnit.MINUTES).last();
            assertThat(partial.status()).isEqualTo(206);
            assertThat(partial.header("content-range")).isEqualTo("bytes 1000-1999/" + bytes.length);
            assertThat(partial.body()).isEqualTo(Arrays.copyOfRange(bytes, 1000, 2000));
            for (CompletableFuture<Chain> heldChain : List.of(lastHop, curl)) {
                Chain held = heldChain.get(2, TimeUnit.MINUTES);
                assertThat(held.hops()).isEmpty();
                assertThat(held.last().status()).isEqualTo(200);
                assertThat(held.last().body()).isEqualTo(bytes);
            }
            assertThat(otherQuery.get(2, TimeUnit.MINUTES).last().body()).isEqualTo(bytes);
            for (CompletableFuture<Chain> chain : List.of(get, head, range, otherQuery)) {
                assertHopsCarryNothing(chain.get(), path);
            }
            assertThat(get.get().hops()).as("the fill outlasted the interval").isNotEmpty();
            assertThat(s.files.requestCount("/packages/" + wheel.fileName())).as("one fill for every request").isEqualTo(1);
        }
    }

    /** Every redirect is a bodiless, never-stored 307 to the same artifact with a hop number one higher than the last. */
    private static void assertHopsCarryNothing(Chain chain, String path) {
        for (int i = 0; i < chain.hops().size(); i++) {
            RawConnection.Response hop = chain.hops().get(i);
            assertThat(hop.status()).isEqualTo(307);
            assertThat(hop.body()).isEmpty();
            assertThat(hop.header("content-length")).isEqualTo("0");
            assertThat(hop.header("cache-control")).isEqualTo("no-store");
            assertThat(hop.header("x-signet-cache")).isEqualTo("filling");
            assertThat(hop.headers()).doesNotContainKeys("etag", "last-modified", "content-range", "content-type");
            assertThat(hop.header("location")).isEqualTo(path.replaceAll("\\?.*", "") + "?signet-wait=" + (i + 1));
        }
    }

    private record Chain(List<RawConnection.Response> hops, RawConnection.Response last) {}

    /** Redirects go only to clients known to follow them; these tests speak as pip unless they say otherwise. */
    private static final String PIP = "User-Agent: pip/23.2.1";

    /**
     * Follows redirects on one keep-alive connection, as Requests and uv do; any other answer ends the chain. Sent as
     * pip unless {@code headers} name another User-Agent.
     */
    private static Chain follow(PacedSignet s, String method, String target, String... headers) {
        if (Arrays.stream(headers).noneMatch(h -> h.startsWith("User-Agent:"))) {
            headers = Stream.concat(Stream.of(PIP), Arrays.stream(headers)).toArray(String[]::new);
        }
        List<RawConnection.Response> hops = new ArrayList<>();
        try (RawConnection connection = new RawConnection(s.port())) {
            String next = target;
            while (true) {
                RawConnection.Response response = connection.send(method, next, headers);
                if (response.status() != 307) {
                    return new Chain(hops, response);
                }
                hops.add(response);
                next = response.header("location");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 16];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * A signed index whose JSON pages list each file's size and point at the files through a {@link PacedRelay} (so
     * every artifact and signature arrives at the pace given), and a Signet in front of it.
     */
    private static final class PacedSignet implements AutoCloseable {
        final StaticIndex index;
        final StaticIndexServer files;
        final PacedRelay relay;
        final JsonIndexServer pages;
        final Path cache;
        final SignetServer signet;

        private PacedSignet(StaticIndex index, StaticIndexServer files, PacedRelay relay, JsonIndexServer pages, Path cache,
                            SignetServer signet) {
            this.index = index;
            this.files = files;
            this.relay = relay;
            this.pages = pages;
            this.cache = cache;
            this.signet = signet;
        }

        static PacedSignet start(Path dir, WheelBuilder wheel, long bytesPerSecond, Map<String, Object> settings) throws Exception {
            MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
            StaticIndex index = StaticIndex.build(dir.resolve("index"), List.of(wheel),
                    new MinisignArtifactSigner(key.secretKey()), false);
            StaticIndexServer files = StaticIndexServer.start(index.root(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            PacedRelay relay = PacedRelay.start(files.baseUri(), bytesPerSecond);
            JsonIndexServer pages = JsonIndexServer.start(index.root(), relay.baseUri(), Map.of());
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("listen", "127.0.0.1:0");
            s.put("admin-listen", "127.0.0.1:0");
            s.put("upstream", pages.simpleUri().toString());
            s.put("trusted-keys", List.of(key.publicKey().encoded()));
            s.put("cache-dir", dir.resolve("cache").toString());
            s.putAll(settings);
            SignetServer signet = SignetServer.start(ConfigLoader.load(null, Map.of(), s), SignetListener.NONE);
            return new PacedSignet(index, files, relay, pages, dir.resolve("cache"), signet);
        }

        int port() {
            return signet.address().getPort();
        }

        String simpleUrl() {
            return signet.simpleUrl();
        }

        JsonNode fills() {
            try {
                var response = Http.get("http://127.0.0.1:" + signet.adminAddress().getPort() + "/fills");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
                return JSON.readTree(response.body()).get("fills");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        MeterRegistry registry() {
            return signet.metrics().registry();
        }

        double counter(String name) {
            Counter counter = registry().find(name).counter();
            return counter == null ? 0 : counter.count();
        }

        Timer timer(String name, String outcome) {
            return registry().find(name).tag("outcome", outcome).timer();
        }

        byte[] upstreamBytes(WheelBuilder wheel) throws IOException {
            return Files.readAllBytes(index.root().resolve("packages").resolve(wheel.fileName()));
        }

        Path cachedFile(WheelBuilder wheel) {
            return cache.resolve("artifacts").resolve(wheel.fileName().substring(0, wheel.fileName().indexOf('-')))
                    .resolve(wheel.fileName());
        }

        List<Path> cacheFiles() throws IOException {
            List<Path> all = new ArrayList<>();
            for (String sub : List.of("artifacts", "tmp")) {
                Path d = cache.resolve(sub);
                if (Files.exists(d)) {
                    try (Stream<Path> walk = Files.walk(d)) {
                        walk.filter(Files::isRegularFile).forEach(all::add);
                    }
                }
            }
            return all;
        }

        @Override
        public void close() {
            signet.close();
            pages.close();
            relay.close();
            files.close();
        }
    }
}
