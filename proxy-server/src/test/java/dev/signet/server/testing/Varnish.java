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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real Varnish (Debian's varnishd) as a reverse-proxy cache in front of one backend, in the foreground, on a free
 * loopback port, with its working directory ({@code -n}) in a test folder and a memory store. Its VCL is the one
 * docs/deploy.md gives for a tier in front of a signing origin: it caches what the origin marks cacheable (one year
 * for immutable files, {@code max-age} for pages), and honours {@code Cache-Control: no-cache} from an edge that
 * re-fetches a page and signature from different moments.
 */
public final class Varnish implements AutoCloseable {

    /** The tier's VCL; {@code %s} is the backend's port. Kept in step with docs/deploy.md. */
    public static final String VCL = """
            vcl 4.1;

            backend origin {
                .host = "127.0.0.1";
                .port = "%s";
            }

            sub vcl_recv {
                # Nothing the origin serves depends on cookies or credentials: without this, builtin.vcl passes
                # (never caches) every request carrying Authorization or Cookie.
                unset req.http.Cookie;
                unset req.http.Authorization;
                # An edge that got a page and a signature from different moments asks again with no-cache.
                if (req.http.Cache-Control ~ "no-cache") {
                    set req.hash_always_miss = true;
                }
            }

            sub vcl_backend_response {
                # Refusals are no-store (builtin.vcl then makes them uncacheable); everything else the origin
                # sends carries its own max-age, which Varnish follows.
                if (beresp.http.Cache-Control ~ "immutable") {
                    set beresp.ttl = 365d;
                }
            }
            """;

    private final Process process;
    private final int port;
    private final Path workDir;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private Varnish(Process process, int port, Path workDir) {
        this.process = process;
        this.port = port;
        this.workDir = workDir;
        Thread reader = new Thread(this::read, "varnish-output");
        reader.setDaemon(true);
        reader.start();
    }

    public static boolean installed() {
        return Files.isExecutable(Path.of("/usr/sbin/varnishd"));
    }

    public static Varnish start(Path dir, int backendPort) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Files.createDirectories(dir);
        // A short path: varnishd's working directory holds a socket whose path must fit in sun_path. Started as
        // root, varnishd reads the VCL as its own unprivileged user: both live where that user may read.
        Path workDir = Files.createTempDirectory("signet-varnish");
        Files.setPosixFilePermissions(workDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path vcl = Files.writeString(workDir.resolve("tier.vcl"), VCL.formatted(backendPort));
        Files.setPosixFilePermissions(vcl, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Files.copy(vcl, dir.resolve("tier.vcl"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Process process = new ProcessBuilder("/usr/sbin/varnishd", "-F", "-n", workDir.toString(),
                "-a", "127.0.0.1:" + port, "-f", vcl.toString(), "-s", "malloc,256m", "-T", "none",
                "-p", "default_grace=0")
                .redirectErrorStream(true).start();
        Varnish varnish = new Varnish(process, port, workDir);
        try {
            Eventually.await("varnish accepts connections", java.time.Duration.ofSeconds(60), () -> varnish.accepts() || !process.isAlive());
        } catch (AssertionError e) {
            varnish.close();
            throw new IllegalStateException("varnish did not start: " + String.join("\n", varnish.lines), e);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("varnish exited: " + String.join("\n", varnish.lines));
        }
        return varnish;
    }

    private boolean accepts() {
        try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void read() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(output closed: " + e.getMessage() + ")");
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** A counter of {@code varnishstat -1} (e.g. {@code MAIN.cache_hit}), read from the running instance. */
    public long counter(String name) throws Exception {
        Processes.Result result = Processes.run(workDir, List.of("varnishstat", "-n", workDir.toString(), "-1",
                "-f", name), 30);
        for (String line : result.output().split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 2 && fields[0].equals(name)) {
                return Long.parseLong(fields[1]);
            }
        }
        throw new IllegalStateException("varnishstat has no " + name + ": " + result.output());
    }

    public List<String> output() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        process.toHandle().descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (java.util.stream.Stream<Path> files = Files.walk(workDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Left in /tmp; nothing depends on it.
        }
    }
}
