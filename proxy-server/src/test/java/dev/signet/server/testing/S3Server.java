package dev.signet.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: s3proxy (copied to {@code target/s3proxy/s3proxy.jar} by the build) in a JVM of its own
 * on a loopback port, with its filesystem blobstore in a folder the test gives, and AWS v4 authentication with one
 * fixed test identity. {@link #stop()} and {@link #start()} stop and start the process on the same port and folder (a
 * store that goes down and comes back). Signet finds the identity through the AWS default credentials chain, from the
 * {@code aws.accessKeyId} and {@code aws.secretAccessKey} system properties ({@link #credentialProperties()}).
 */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "signet-test-access";
    public static final String SECRET_KEY = "signet-test-secret-0123456789";

    private final Path dir;
    private final int port;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private Process process;

    private S3Server(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts s3proxy with its data under {@code dir}. */
    public static S3Server start(Path dir) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        S3Server server = new S3Server(dir, port);
        server.start();
        return server;
    }

    /** (Re)starts the process on the same port and data. */
    public synchronized void start() throws Exception {
        Path jar = Path.of("target", "s3proxy", "s3proxy.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: the build copies it before the integration tests");
        }
        Path data = Files.createDirectories(dir.resolve("blobs"));
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=" + endpoint(),
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + data,
                "jclouds.identity=unused",
                "jclouds.credential=unused",
                ""), StandardCharsets.UTF_8);
        process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString(), "--properties", properties.toString())
                .redirectErrorStream(true).start();
        Process started = process;
        Thread reader = new Thread(() -> readOutput(started), "s3proxy-output");
        reader.setDaemon(true);
        reader.start();
        try {
            Eventually.await("s3proxy accepts connections or exits", java.time.Duration.ofSeconds(60),
                    () -> accepts() || !started.isAlive());
        } catch (AssertionError timedOut) {
            throw new IllegalStateException("s3proxy did not start within 60 s: " + output, timedOut);
        }
        if (!started.isAlive()) {
            throw new IllegalStateException("s3proxy did not start: " + output);
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void readOutput(Process p) {
        try (InputStream in = p.getInputStream()) {
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().forEach(output::add);
        } catch (IOException ignored) {
            // The process ended.
        }
    }

    /** Stops the process (the store is down: connections are refused); its data stays for {@link #start()}. */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** A client of the test's own, to create buckets and to look at, tamper with and delete objects. */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(60)))
                .build();
    }

    /** Signet's settings for a store at {@code s3://bucket/prefix} on this server (or at {@code endpoint}). */
    public Map<String, Object> settings(String bucketAndPrefix, URI endpoint) {
        return Map.of("shared-store.url", "s3://" + bucketAndPrefix, "shared-store.endpoint", endpoint.toString(),
                "shared-store.path-style", "true");
    }

    /** The AWS SDK's system properties for this server's identity (for a test JVM, or -D flags of a Signet process). */
    public static Map<String, String> credentialProperties() {
        return Map.of("aws.accessKeyId", ACCESS_KEY, "aws.secretAccessKey", SECRET_KEY);
    }

    public List<String> output() {
        return output;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
