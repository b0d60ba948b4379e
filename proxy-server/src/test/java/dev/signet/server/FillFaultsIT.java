package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.signet.server.demo.Fault;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.StaticIndex;
import dev.signet.server.demo.StaticIndexServer;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Eventually;
import dev.signet.server.testing.Http;
import dev.signet.server.testing.ResettingRelay;
import dev.signet.server.testing.SignetProcess;
import dev.signet.sig.MinisignKeyPair;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fill pipeline under faults, with several blocks in flight in its lanes when the fault strikes (the artifact is
 * many times the pipeline's window): whatever fails, no byte of the artifact reaches a client, nothing is cached, no
 * temp file is left, no buffer leaks (paranoid leak detection in a separate Signet JVM with a 64 MiB heap), and the
 * next request succeeds. The disk-full cases mount a small tmpfs as the cache (the tests run as root).
 */
class FillFaultsIT {

    private static final long BIG_PADDING = 24L << 20;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;
    private MinisignKeyPair key;
    private StaticIndex index;
    private StaticIndexServer upstream;
    private String big;
    private String small;
    private final List<Path> mounts = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        key = MinisignKeyPair.generate(new SecureRandom());
        WheelBuilder bigWheel = WheelBuilder.wheel("bulky", "1.0.0").padding(BIG_PADDING, 5);
        WheelBuilder smallWheel = WheelBuilder.wheel("tiny", "1.0.0");
        index = StaticIndex.build(dir.resolve("index"), List.of(bigWheel, smallWheel),
                new MinisignArtifactSigner(key.secretKey()), false);
        big = bigWheel.fileName();
        small = smallWheel.fileName();
        upstream = StaticIndexServer.start(index.root(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void stop() throws Exception {
        upstream.close();
        for (Path mount : mounts) {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void upstreamResetMidBodyServesNothingCachesNothingAndTheNextRequestSucceeds() throws Exception {
        Path cache = dir.resolve("cache");
        InetSocketAddress origin = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstream.baseUri().getPort());
        try (ResettingRelay relay = ResettingRelay.start(origin);
             SignetProcess signet = start(cache, "http://127.0.0.1:" + relay.port() + "/simple/")) {
            relay.arm(10L << 20);
            HttpResponse<byte[]> failed = get(signet, "bulky", big);
            assertThat(relay.resets()).as("the relay reset the transfer").isPositive();
            assertThat(failed.statusCode()).as(text(failed)).isEqualTo(502);
            assertNoArtifactBytes(failed);
            assertNothingCached(cache, "bulky", big);

            relay.disarm();
            assertServedIntact(signet, "bulky", big);
            assertNoLeaks(signet);
        }
    }

    @Test
    void upstreamClosingMidBodyIsRefusedAsTruncatedAndTheNextRequestSucceeds() throws Exception {
        Path cache = dir.resolve("cache");
        try (SignetProcess signet = start(cache, upstream.simpleUri().toString())) {
            upstream.override("/packages/" + big, Fault.truncate(10L << 20));
            HttpResponse<byte[]> failed = get(signet, "bulky", big);
            assertThat(failed.statusCode()).as(text(failed)).isEqualTo(403);
            assertThat(text(failed)).contains(big).contains("truncated").contains("ended after " + (10L << 20));
            assertNoArtifactBytes(failed);
            assertNothingCached(cache, "bulky", big);

            upstream.clearOverrides();
            assertServedIntact(signet, "bulky", big);
            assertNoLeaks(signet);
        }
    }

    @Test
    void aClientThatStopsReadingHoldsUpNeitherTheFillNorOtherClients() throws Exception {
        Path cache = dir.resolve("cache");
        try (SignetProcess signet = start(cache, upstream.simpleUri().toString());
             Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), signet.port()));
            OutputStream out = slow.getOutputStream();
            out.write(("GET /packages/bulky/" + big + " HTTP/1.1\r\nHost: signet\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = slow.getInputStream();
            byte[] head = new byte[12];
            assertThat(in.readNBytes(head, 0, head.length)).isEqualTo(head.length);
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");

            // The slow client has read 12 bytes and stopped; another client gets the whole verified file meanwhile.
            assertServedIntact(signet, "bulky", big);
            assertServedIntact(signet, "tiny", small);

            byte[] rest = in.readAllBytes();
            String response = new String(head, StandardCharsets.ISO_8859_1) + new String(rest, StandardCharsets.ISO_8859_1);
            int bodyStart = response.indexOf("\r\n\r\n") + 4;
            byte[] body = response.substring(bodyStart).getBytes(StandardCharsets.ISO_8859_1);
            assertThat(sha256(body)).as("the slow client's bytes, once it reads them").isEqualTo(index.sha256(big));
            assertNoLeaks(signet);
        }
    }

    @Test
    void cacheFilesystemFullDuringAFillIsAClearErrorALogLineAndAMetricAndEverythingElseIsServed() throws Exception {
        Path cache = tmpfs("cache", 16L << 20);
        try (SignetProcess signet = start(cache, upstream.simpleUri().toString())) {
            HttpResponse<byte[]> failed = get(signet, "bulky", big);
            assertDiskFullAnswer(failed);
            assertNothingCached(cache, "bulky", big);
            signet.line("fill failed: cannot store " + java.util.regex.Pattern.quote(big)).get(10, TimeUnit.SECONDS);
            assertThat(metric(signet, "signet_cache_write_failures_total")).isEqualTo(1);

            assertServedIntact(signet, "tiny", small);
            assertNoLeaks(signet);
        }
    }

    /**
     * The body is written and verified; what no longer fits is the commit's sidecar. The client is answered from the
     * verified temp file before the commit runs (docs/cache-integrity.md, "Answering a fill's clients before its
     * commit"), so it gets the verified bytes; the cache keeps nothing, counts and logs the failure, and the next
     * request fills again once there is room.
     */
    @Test
    void cacheFilesystemFullDuringTheCommitStillAnswersTheVerifiedBytesAndCachesNothing() throws Exception {
        Path cache = tmpfs("cache", 64L << 20);
        long length = Files.size(index.root().resolve("packages").resolve(big));
        try (SignetProcess signet = start(cache, upstream.simpleUri().toString())) {
            // The page first (it is stored too), then a filler that leaves room for the data file and not one page more.
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(signet.simpleUrl() + "bulky/")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            long pages = (length + 4095) / 4096;
            Path filler = cache.resolve("filler");
            long fillerBytes = Files.getFileStore(cache).getUsableSpace() - pages * 4096;
            try (var file = new java.io.RandomAccessFile(filler.toFile(), "rw")) {
                byte[] zeros = new byte[1 << 20];
                for (long left = fillerBytes; left > 0; left -= zeros.length) {
                    file.write(zeros, 0, (int) Math.min(zeros.length, left));
                }
            }
            HttpResponse<byte[]> answered = get(signet, "bulky", big);
            assertThat(answered.statusCode()).as(text(answered)).isEqualTo(200);
            assertThat(sha256(answered.body())).as("the verified bytes").isEqualTo(index.sha256(big));
            signet.line("cannot store " + java.util.regex.Pattern.quote(big) + " in the cache \\(.*No space left on device.*\\); the clients waiting for it were sent the verified bytes")
                    .get(30, TimeUnit.SECONDS);
            assertNothingCached(cache, "bulky", big);
            assertThat(metric(signet, "signet_cache_write_failures_total")).isEqualTo(1);

            Files.delete(filler);
            HttpResponse<byte[]> again = get(signet, "bulky", big);
            assertThat(again.headers().firstValue("x-signet-cache")).as("filled again: nothing was kept").hasValue("miss");
            assertThat(sha256(again.body())).isEqualTo(index.sha256(big));
            assertNoLeaks(signet);
        }
    }

    @Test
    void aWriteFailureMidFillIsAClearErrorLeavesNothingAndTheNextRequestSucceeds() throws Exception {
        Path cache = dir.resolve("cache");
        // The kernel refuses writes past 8 MiB in any file of this Signet process (EFBIG): a real failed write(2).
        try (SignetProcess signet = start(List.of("prlimit", "--fsize=" + (8L << 20), "--"), cache, upstream.simpleUri().toString())) {
            HttpResponse<byte[]> failed = get(signet, "bulky", big);
            assertThat(failed.statusCode()).as(text(failed)).isEqualTo(503);
            assertThat(text(failed)).contains("cannot store " + big + " in the cache").contains("File too large");
            assertNoArtifactBytes(failed);
            assertNothingCached(cache, "bulky", big);
            assertThat(metric(signet, "signet_cache_write_failures_total")).isEqualTo(1);
            assertServedIntact(signet, "tiny", small);
            assertNoLeaks(signet);
        }
        try (SignetProcess signet = start(cache, upstream.simpleUri().toString())) {
            assertServedIntact(signet, "bulky", big);
        }
    }

    private SignetProcess start(Path cache, String upstreamUrl) throws Exception {
        return start(List.of(), cache, upstreamUrl);
    }

    private SignetProcess start(List<String> launcher, Path cache, String upstreamUrl) throws Exception {
        return SignetProcess.start(launcher,
                List.of("-Xmx64m", "-XX:MaxDirectMemorySize=64m", "-Dio.netty.leakDetection.level=paranoid"),
                List.of("serve", "--upstream", upstreamUrl, "--trusted-key", key.publicKey().encoded(),
                        "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0", "--cache-dir", cache.toString(),
                        "--set", "min-free=0", "--set", "memory-cache-size=0"));
    }

    private Path tmpfs(String name, long bytes) throws Exception {
        Path mount = Files.createDirectories(dir.resolve(name));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean mounted = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        assumeTrue(mounted, "mounting a " + bytes + "-byte tmpfs for the full-disk case needs root: " + output);
        mounts.add(mount);
        return mount;
    }

    private static HttpResponse<byte[]> get(SignetProcess signet, String project, String file) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + signet.port() + "/packages/" + project + "/" + file))
                .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void assertServedIntact(SignetProcess signet, String project, String file) throws Exception {
        HttpResponse<byte[]> ok = get(signet, project, file);
        assertThat(ok.statusCode()).as(text(ok)).isEqualTo(200);
        assertThat(sha256(ok.body())).isEqualTo(index.sha256(file));
    }

    private static void assertDiskFullAnswer(HttpResponse<byte[]> failed) {
        assertThat(failed.statusCode()).as(text(failed)).isEqualTo(503);
        assertThat(text(failed)).contains("in the cache").contains("No space left on device");
        assertThat(text(failed).strip()).doesNotContain("\n");
        assertNoArtifactBytes(failed);
    }

    private static void assertNoArtifactBytes(HttpResponse<byte[]> response) {
        assertThat(response.body().length).isLessThan(1024);
        assertThat(new String(response.body(), StandardCharsets.ISO_8859_1)).doesNotStartWith("PK");
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    }

    /** No entry, no data file, and (once the failed fill has cleaned up after itself) no temp file. */
    private static void assertNothingCached(Path cache, String project, String file) {
        assertThat(cache.resolve("artifacts").resolve(project).resolve(file)).doesNotExist();
        Eventually.await("the failed fill's temp file is deleted", Duration.ofSeconds(30), () -> tempFiles(cache) == 0);
    }

    private static long tempFiles(Path cache) {
        Path tmp = cache.resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(tmp)) {
            return files.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertNoLeaks(SignetProcess signet) {
        assertThat(signet.isAlive()).isTrue();
        assertThat(signet.output()).noneMatch(line -> line.contains("LEAK:") || line.contains("OutOfMemoryError"));
    }

    private static double metric(SignetProcess signet, String name) throws Exception {
        String metrics = Http.get("http://127.0.0.1:" + signet.adminPort() + "/metrics").body();
        return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }
}
