package dev.signet.server.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx serving a directory on a free loopback port, the way an operator serves a {@code signet publish}
 * output: plain static files, {@code index.html} for directory URLs, no negotiation.
 */
public final class Nginx implements AutoCloseable {
    private static final String BINARY = "/usr/sbin/nginx";

    private final Process process;
    private final int port;
    private final Path logs;

    private Nginx(Process process, int port, Path logs) {
        this.process = process;
        this.port = port;
        this.logs = logs;
    }

    public static boolean installed() {
        return Files.isExecutable(Path.of(BINARY));
    }

    public static Nginx serve(Path root, Path workDir) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path dir = Files.createDirectories(workDir);
        // Started as root, nginx's worker would drop to nobody, who cannot read the tests' private temp dirs.
        String user = "root".equals(System.getProperty("user.name")) ? "user root root;\n" : "";
        Path config = Files.writeString(dir.resolve("nginx.conf"), user + """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events { worker_connections 64; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    types { text/html html; application/json json; }
                    default_type application/octet-stream;
                    server {
                        listen 127.0.0.1:%2$d;
                        root %3$s;
                        index index.html;
                    }
                }
                """.formatted(dir, port, root.toAbsolutePath()));
        Process process = new ProcessBuilder(BINARY, "-c", config.toString(), "-p", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        Nginx nginx = new Nginx(process, port, dir);
        try {
            nginx.awaitServing();
        } catch (Exception e) {
            nginx.close();
            throw new IllegalStateException("nginx did not start: " + Files.readString(dir.resolve("stdout.log"))
                    + readIfExists(dir.resolve("error.log")), e);
        }
        return nginx;
    }

    private void awaitServing() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Eventually.await("nginx answering on " + url(), Duration.ofSeconds(30), () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited with " + process.exitValue());
            }
            try {
                client.send(HttpRequest.newBuilder(URI.create(url() + "/")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                return true;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    private static String readIfExists(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path accessLog() {
        return logs.resolve("access.log");
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
    }
}
