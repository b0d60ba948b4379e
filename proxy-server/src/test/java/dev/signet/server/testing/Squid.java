package dev.signet.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real Squid forward proxy on a free loopback port, with a minimal generated configuration: loopback clients only,
 * no cache, and an access log a test can read to see what went through it.
 */
public final class Squid implements AutoCloseable {

    private final Process process;
    private final int port;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> accepting = new CompletableFuture<>();

    private final Path logs;

    private Squid(Process process, int port, Path logs) {
        this.process = process;
        this.port = port;
        this.logs = logs;
        Thread reader = new Thread(this::read, "squid-output");
        reader.setDaemon(true);
        reader.start();
    }

    public static Squid start(Path dir) throws Exception {
        return start(dir, "cache deny all\n");
    }

    /**
     * A caching Squid (memory only), set up as docs/deploy.md says a tier in front of a signing origin should be:
     * objects up to 1 GB (Squid's default maximum_object_size, 4 MB, would pass every large wheel through uncached).
     * Its access log shows TCP_MEM_HIT / TCP_HIT for answers from its cache.
     */
    public static Squid startCaching(Path dir) throws Exception {
        return start(dir, """
                cache allow all
                maximum_object_size 1 GB
                maximum_object_size_in_memory 64 MB
                cache_mem 256 MB
                """);
    }

    private static Squid start(Path dir, String cacheDirectives) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Files.createDirectories(dir);
        // Squid started as root drops to its own user before opening its logs: they go to a directory it can write.
        Path logs = Files.createTempDirectory("signet-squid-logs");
        Files.setPosixFilePermissions(logs, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Path config = Files.writeString(dir.resolve("squid.conf"), """
                http_port 127.0.0.1:%d
                http_access allow localhost
                http_access deny all
                %s
                pid_filename none
                access_log stdio:%s/access.log
                cache_log %s/cache.log
                logfile_rotate 0
                shutdown_lifetime 0 seconds
                """.formatted(port, cacheDirectives.strip() + (cacheDirectives.contains("cache_mem") ? "" : "\ncache_mem 8 MB"),
                        logs, logs));
        Process process = new ProcessBuilder("squid", "-N", "-d", "1", "-f", config.toString())
                .redirectErrorStream(true).start();
        Squid squid = new Squid(process, port, logs);
        try {
            squid.accepting.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            squid.close();
            throw new IllegalStateException("squid did not start: " + String.join("\n", squid.lines), e);
        }
        return squid;
    }

    private void read() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
                if (line.contains("Accepting HTTP Socket connections")) {
                    accepting.complete(null);
                }
            }
        } catch (IOException e) {
            lines.add("(output closed: " + e.getMessage() + ")");
        } finally {
            accepting.completeExceptionally(new IllegalStateException("squid exited"));
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Squid's access log so far: one line per request it relayed or tunnelled. */
    public List<String> accessLog() throws IOException {
        Path log = logs.resolve("access.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Override
    public void close() {
        process.toHandle().destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (java.util.stream.Stream<Path> files = Files.walk(logs)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Left in /tmp; nothing depends on it.
        }
    }
}
