package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.StaticIndex;
import dev.signet.server.demo.StaticIndexServer;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Eventually;
import dev.signet.server.testing.Http;
import dev.signet.server.testing.SignetProcess;
import dev.signet.server.testing.SoakLoad;
import dev.signet.sig.MinisignKeyPair;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A soak: 1,000 concurrent connections against a separate Signet JVM (paranoid leak detection) in front of a real
 * loopback upstream with 200 generated, signed wheels, for {@code signet.soak.seconds} (default 180): full reads
 * that hit the cache or miss it (an admin purge every half second makes fresh misses, and coalesced ones), pages, slow
 * readers of 8 MiB wheels and clients that vanish mid-answer (closing or resetting). Afterwards: every completed
 * answer was byte-exact, nothing stalled, no buffer leaked, the JVM's file descriptors and heap are back where they
 * started (allowing for pooled upstream connections and for what the memory tier keeps), and no temp file is left in
 * the cache. Loopback only; bounded in time; never timed.
 */
class SoakIT {

    private static final Logger log = LoggerFactory.getLogger(SoakIT.class);
    private static final int CONNECTIONS = Integer.getInteger("signet.soak.connections", 1000);
    private static final long SECONDS = Long.getLong("signet.soak.seconds", 180);
    private static final String TOKEN = "soak-admin-token-0123456789";
    /** Idle upstream connections Signet may pool (16 per event loop) plus the admin connection and slack. */
    private static final int FD_SLACK = 64;

    @Test
    void thousandConnectionsOfMixedTrafficLeaveNothingBehind(@TempDir Path dir) throws Exception {
        requireFileDescriptors(ProcessHandle.current().pid(), CONNECTIONS + 1000);
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        List<WheelBuilder> wheels = new ArrayList<>();
        for (int project = 0; project < 40; project++) {
            for (int version = 0; version < 5; version++) {
                long size = project < 2 ? 8L << 20 : project < 10 ? (256L << 10) * (version + 1) : 2048L << version;
                wheels.add(WheelBuilder.wheel("soak" + project, "1." + version).padding(size, project * 10L + version));
            }
        }
        StaticIndex index = StaticIndex.build(dir.resolve("index"), wheels, new MinisignArtifactSigner(key.secretKey()),
                false);
        List<SoakLoad.Target> small = new ArrayList<>();
        List<SoakLoad.Target> large = new ArrayList<>();
        for (WheelBuilder wheel : wheels) {
            String file = wheel.fileName();
            long length = Files.size(index.root().resolve("packages").resolve(file));
            String project = file.substring(0, file.indexOf('-'));
            SoakLoad.Target target = new SoakLoad.Target("/packages/" + project + "/" + file, index.sha256(file), length);
            (length >= 8L << 20 ? large : small).add(target);
        }
        List<String> pages = wheels.stream().map(w -> "/simple/" + w.fileName().substring(0, w.fileName().indexOf('-')) + "/")
                .distinct().toList();
        Path cache = dir.resolve("cache");

        try (StaticIndexServer upstream = StaticIndexServer.start(index.root(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SignetProcess signet = SignetProcess.start(
                     List.of("-Xmx256m", "-XX:MaxDirectMemorySize=256m", "-Dio.netty.leakDetection.level=paranoid"),
                     List.of("serve", "--upstream", upstream.simpleUri().toString(),
                             "--trusted-key", key.publicKey().encoded(),
                             "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
                             "--cache-dir", cache.toString(), "--set", "admin-token=" + TOKEN))) {
            requireFileDescriptors(signet.pid(), CONNECTIONS + 1000);
            String admin = "http://127.0.0.1:" + signet.adminPort();
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", signet.port());

            // Warm up: every page and wheel once, so that pools, caches and the JIT are in their working state.
            SoakLoad.Results warmUp = new SoakLoad(address, small, large, pages, 1).run(20, Duration.ofSeconds(20).toNanos(),
                    Duration.ofMinutes(2).toNanos());
            assertThat(warmUp.failures()).as("warm-up").isEmpty();
            Snapshot before = Snapshot.take(signet, admin, cache);
            log.info("soak: before the load {}", before);

            SoakLoad.Results results;
            ScheduledExecutorService purger = Executors.newSingleThreadScheduledExecutor();
            Random random = new Random(7);
            AtomicLong peakFds = new AtomicLong();
            try {
                purger.scheduleWithFixedDelay(() -> {
                    purgeOne(admin, small, large, random);
                    peakFds.accumulateAndGet(openFds(signet.pid()), Math::max);
                }, 500, 500, TimeUnit.MILLISECONDS);
                results = new SoakLoad(address, small, large, pages, 42).run(CONNECTIONS, Duration.ofSeconds(SECONDS).toNanos(),
                        Duration.ofMinutes(3).toNanos());
            } finally {
                purger.shutdownNow();
                purger.awaitTermination(30, TimeUnit.SECONDS);
            }
            log.info("soak: {} connections for {} s: {}; Signet's open file descriptors peaked at {}", CONNECTIONS, SECONDS,
                    results.all(), peakFds.get());

            Files.write(Path.of("target", "soak-signet.log"), signet.output());
            assertThat(results.failures()).as("failed or stalled requests; Signet's log about them:\n%s",
                    String.join("\n", logAbout(signet, results.failures()))).isEmpty();
            assertThat(peakFds.get()).as("Signet's descriptors during the load (the count sees the connections)")
                    .isGreaterThan(before.fds + CONNECTIONS / 2);
            assertThat(results.count(SoakLoad.Kind.FULL, "ok")).isPositive();
            assertThat(results.count(SoakLoad.Kind.PAGE, "ok")).isPositive();
            assertThat(results.count(SoakLoad.Kind.SLOW, "ok")).isPositive();
            assertThat(results.countOf("vanish.done")).isPositive();
            assertThat(results.countOf("cache.hit")).isPositive();
            assertThat(results.countOf("cache.miss") + results.countOf("cache.coalesced")).isPositive();

            Eventually.await("the cache's temp directory is empty", Duration.ofMinutes(1), () -> leftoverTempFiles(cache).isEmpty());
            Eventually.await("Signet's file descriptors back to " + before.fds + " + " + FD_SLACK, Duration.ofMinutes(2),
                    () -> openFds(signet.pid()) <= before.fds + FD_SLACK);
            Snapshot after = Snapshot.take(signet, admin, cache);
            log.info("soak: after the load {}", after);

            assertThat(after.heapUsed).as("heap used after GC, before %s", before.heapUsed)
                    .isLessThanOrEqualTo(Math.max(2 * before.heapUsed, before.heapUsed + (64L << 20)));
            // The memory tier (64 MiB by default) keeps copies of hot small wheels, and Netty's pool keeps arenas.
            assertThat(after.directUsed).as("Netty direct memory in use, before %s", before.directUsed)
                    .isLessThanOrEqualTo(before.directUsed + (96L << 20));
            // The detector reports a buffer when it is collected unreleased; Snapshot.take collected twice.
            assertThat(signet.output()).as("leak reports").noneMatch(line -> line.contains("LEAK:"));
            assertThat(signet.isAlive()).isTrue();
        }
    }

    /** Signet's warnings and errors, and its access-log lines about the connections of failed requests (at most 80). */
    private static List<String> logAbout(SignetProcess signet, List<String> failures) {
        List<String> clients = failures.stream().map(f -> f.replaceAll(".* from port (\\d+) .*", ":$1 "))
                .filter(port -> port.startsWith(":")).toList();
        return signet.output().stream()
                .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ") || clients.stream().anyMatch(line::contains))
                .limit(80).toList();
    }

    private static void purgeOne(String admin, List<SoakLoad.Target> small, List<SoakLoad.Target> large, Random random) {
        List<SoakLoad.Target> from = random.nextInt(4) == 0 ? large : small;
        String path = from.get(random.nextInt(from.size())).path();
        try {
            Http.post(admin + "/purge/artifact/" + path.substring("/packages/".length()), "Authorization", "Bearer " + TOKEN);
        } catch (Exception e) {
            log.warn("soak: purge of {} failed: {}", path, e.toString());
        }
    }

    /** What is measured before and after the load: after a full GC in the Signet JVM. */
    private record Snapshot(long fds, long heapUsed, long directUsed, int tempFiles) {
        static Snapshot take(SignetProcess signet, String admin, Path cache) throws Exception {
            gc(signet);
            // A request after the GC: the leak detector looks for collected buffers when it tracks a new one.
            Http.get(admin + "/metrics");
            gc(signet);
            String metrics = Http.get(admin + "/metrics").body();
            return new Snapshot(openFds(signet.pid()), sum(metrics, "jvm_memory_used_bytes{area=\"heap\""),
                    sum(metrics, "netty_allocator_memory_used", "direct"), leftoverTempFiles(cache).size());
        }
    }

    private static void gc(SignetProcess signet) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(signet.pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("jcmd GC.run finished").isTrue();
    }

    private static long sum(String metrics, String prefix, String... containing) {
        return (long) metrics.lines().filter(l -> l.startsWith(prefix))
                .filter(l -> Stream.of(containing).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    static long openFds(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot count the open file descriptors of " + pid, e);
        }
    }

    private static List<Path> leftoverTempFiles(Path cache) {
        Path tmp = cache.resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(tmp)) {
            return files.toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Both JVMs raise their soft limit on open files to the hard limit at start (HotSpot's MaxFDLimit), so the hard
     * limit is what counts; say plainly when it is too low instead of failing with "too many open files" later.
     */
    private static void requireFileDescriptors(long pid, long needed) throws IOException {
        String limits = Files.readString(Path.of("/proc", Long.toString(pid), "limits"));
        String line = limits.lines().filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow();
        String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
        assertThat(soft.equals("unlimited") || Long.parseLong(soft) >= needed)
                .as("process %s may open %s files, the soak needs %s (raise `ulimit -n`): %s", pid, soft, needed, line)
                .isTrue();
    }
}
