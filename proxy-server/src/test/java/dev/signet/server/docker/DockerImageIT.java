package dev.signet.server.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Volume;
import dev.signet.server.demo.DemoProjects;
import dev.signet.server.demo.StaticIndex;
import dev.signet.server.demo.StaticIndexServer;
import dev.signet.server.testing.Minisign;
import dev.signet.server.testing.Pip;
import dev.signet.server.testing.Processes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The image built from {@code docker/Dockerfile} on the registry-free base images ({@code docker/build-base-image.sh}),
 * run as a sidecar with host networking in front of a signed index on loopback: real pip installs through it, its
 * named cache volume outlives the container, and {@code docker stop} ends it cleanly.
 */
class DockerImageIT {

    /** The build stage (jlink and the jmods) and the runtime's base, both from build-base-image.sh. */
    private static final String JDK_IMAGE = "signet-jdk:bookworm";
    private static final String BASE_IMAGE = "signet-os:bookworm";
    /** A jlink'ed runtime of the modules Signet uses instead of a whole JRE (which made the image 506 MB). */
    private static final long MAX_IMAGE_BYTES = 150L * 1000 * 1000;
    private static final String LIB = "signet_demo_lib-1.2.0-py3-none-any.whl";
    private static final String CACHE_DIR = "/var/cache/signet";
    private static final String JAR_IN_IMAGE = "/opt/signet/signet.jar";
    /** What {@code docker stop} waits for before SIGKILL; a clean shutdown takes a fraction of it. */
    private static final int STOP_TIMEOUT_SECONDS = 20;
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);

    private static final Path MODULE_DIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final Path REPO_ROOT = MODULE_DIR.getParent();

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();

    @BeforeAll
    static void requireDockerEngine() {
        assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine reachable (run docker/ensure-docker.sh)");
    }

    @Test
    void pipInstallsThroughTheImageThenFromItsCacheVolumeAfterARestartAndStopsCleanly(@TempDir Path dir) throws Exception {
        Minisign minisign = Minisign.generate(dir.resolve("keys"));
        StaticIndex index = StaticIndex.build(dir.resolve("index"), DemoProjects.demoWheels(), minisign, false);
        DockerClient docker = DockerClientFactory.instance().client();
        String volume = "signet-it-cache-" + UUID.randomUUID();
        docker.createVolumeCmd().withName(volume).exec();
        ImageFromDockerfile image = signetImage();
        try (StaticIndexServer upstream = StaticIndexServer.start(index.root(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = freeLoopbackPort();
            int adminPort = freeLoopbackPort();
            String simpleUrl = "http://127.0.0.1:" + port + "/simple/";

            try (GenericContainer<?> first = signet(image, port, adminPort, upstream, minisign.publicKeyLine(), volume)) {
                first.start();
                assertThat(get(simpleUrl).statusCode()).isEqualTo(200);
                assertRuntimeHasWhatSignetUses(adminPort);
                assertThat(first.getLogs()).as("the image has libsodium, and JNA can unpack its stub as uid 10001")
                        .contains("BLAKE2b: libsodium 1.");
                assertThat(first.execInContainer("java", "-jar", JAR_IN_IMAGE, "health", "--url", simpleUrl).getExitCode())
                        .as("signet health inside the image").isZero();

                assertInstalls(dir.resolve("first"), simpleUrl);
                assertThat(artifactFetches(upstream, index)).as("first install fetches each installed wheel and signature once")
                        .containsEntry("/packages/" + LIB, 1)
                        .containsEntry("/packages/" + LIB + ".minisig", 1)
                        .containsEntry("/packages/signet_demo_lib-2.0.0-py3-none-any.whl", 0);
                assertStopsCleanlyOnSigterm(docker, first);
            }
            Map<String, Integer> fetchedBeforeRestart = artifactFetches(upstream, index);

            try (GenericContainer<?> second = signet(image, port, adminPort, upstream, minisign.publicKeyLine(), volume)) {
                second.start();
                assertInstalls(dir.resolve("second"), simpleUrl);
                assertThat(artifactFetches(upstream, index))
                        .as("after the restart every wheel comes from the cache volume, none from upstream")
                        .isEqualTo(fetchedBeforeRestart);
                assertStopsCleanlyOnSigterm(docker, second);
            }
        } finally {
            docker.removeVolumeCmd(volume).exec();
            removeImage(docker, image);
        }
    }

    /**
     * Regression (issue 14): the image was 506 MB, a whole Debian JRE. Built with a jlink'ed runtime it stays under
     * {@link #MAX_IMAGE_BYTES}, and keeps its health check (signet health) and its non-root user.
     */
    @Test
    void theImageIsSmallRunsAsNonRootAndKeepsItsHealthCheck() throws Exception {
        DockerClient docker = DockerClientFactory.instance().client();
        ImageFromDockerfile image = signetImage();
        try {
            String name = image.get();
            InspectImageResponse inspected = docker.inspectImageCmd(name).exec();
            assertThat(inspected.getSize()).as("image size in bytes").isLessThan(MAX_IMAGE_BYTES);
            ContainerConfig config = inspected.getConfig();
            assertThat(config.getUser()).isEqualTo("10001:10001");
            assertThat(config.getHealthcheck()).isNotNull();
            assertThat(config.getHealthcheck().getTest()).contains("/opt/signet/signet.jar", "health");
            assertThat(config.getEntrypoint()).startsWith("java").contains("-jar", JAR_IN_IMAGE);
        } finally {
            removeImage(docker, image);
        }
    }

    /**
     * The jlink'ed runtime has every module Signet loads at run time, not only what jdeps sees: the JVM metrics
     * (java.management, jdk.management) and the status page answer from inside the container.
     */
    private static void assertRuntimeHasWhatSignetUses(int adminPort) throws IOException, InterruptedException {
        String admin = "http://127.0.0.1:" + adminPort;
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(admin + "/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("jvm_gc_pause_seconds")
                .contains("jvm_threads_live_threads").contains("process_cpu_usage").contains("netty_allocator_memory_used");
        HttpResponse<String> status = HTTP.send(HttpRequest.newBuilder(URI.create(admin + "/status"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("Signet status").contains("admin-listen:");
    }

    /**
     * Build context laid out as the repository root, holding only what the Dockerfile copies. The deprecated
     * {@code withDockerfilePath} is the one that names a Dockerfile inside such an explicit context; its replacement
     * tars the Dockerfile's own directory and would try to pull the base image first.
     */
    @SuppressWarnings("deprecation")
    private static ImageFromDockerfile signetImage() {
        Path jar = MODULE_DIR.resolve("target/signet.jar");
        assertThat(jar).as("the shaded jar (mvn package runs before the integration tests)").isRegularFile();
        return new ImageFromDockerfile("signet-it:" + UUID.randomUUID(), true)
                .withFileFromPath("docker/Dockerfile", REPO_ROOT.resolve("docker/Dockerfile"))
                .withFileFromPath("proxy-server/target/signet.jar", jar)
                .withDockerfilePath("docker/Dockerfile")
                .withBuildArg("JDK_IMAGE", JDK_IMAGE)
                .withBuildArg("BASE_IMAGE", BASE_IMAGE);
    }

    /**
     * Testcontainers' JVM-exit cleanup (used without its reaper container) leaves built images behind, and the classic
     * builder keeps the jlink stage (about 400 MB) as an untagged image: both go.
     */
    private static void removeImage(DockerClient docker, ImageFromDockerfile image) {
        String name = image.getDockerImageName();
        if (!docker.listImagesCmd().withReferenceFilter(name).exec().isEmpty()) {
            docker.removeImageCmd(name).withForce(true).exec();
        }
        for (Image stage : docker.listImagesCmd().withDanglingFilter(true)
                .withLabelFilter("dev.signet.build-stage=jlink").exec()) {
            docker.removeImageCmd(stage.getId()).withForce(true).exec();
        }
    }

    /**
     * Signet on 127.0.0.1:{@code port} of the host network, configured by environment variables only, with the
     * cache on the named {@code volume}. Ready when the image's own health command gets a 200 from {@code /simple/}.
     */
    @SuppressWarnings("resource")
    private static GenericContainer<?> signet(ImageFromDockerfile image, int port, int adminPort, StaticIndexServer upstream,
                                              String trustedKey, String volume) {
        // The container's own readiness probe (the admin listener's /readyz), through Signet's health command.
        String readyz = "http://127.0.0.1:" + adminPort + "/readyz";
        HealthCheck probePublicPort = new HealthCheck()
                .withTest(List.of("CMD", "java", "-XX:TieredStopAtLevel=1", "-Xmx32m", "-jar", JAR_IN_IMAGE,
                        "health", "--url", readyz))
                .withInterval(Duration.ofMillis(250).toNanos())
                .withTimeout(Duration.ofSeconds(5).toNanos())
                .withRetries(3);
        return new GenericContainer<>(image)
                .withNetworkMode("host")
                .withEnv("SIGNET_LISTEN", "127.0.0.1:" + port)
                .withEnv("SIGNET_ADMIN_LISTEN", "127.0.0.1:" + adminPort)
                .withEnv("SIGNET_UPSTREAM", upstream.simpleUri().toString())
                .withEnv("SIGNET_TRUSTED_KEYS", trustedKey)
                .withCreateContainerCmdModifier(cmd -> cmd
                        .withHealthcheck(probePublicPort)
                        .withStopTimeout(STOP_TIMEOUT_SECONDS)
                        .getHostConfig().withBinds(new Bind(volume, new Volume(CACHE_DIR))))
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(STARTUP_TIMEOUT));
    }

    private static void assertInstalls(Path target, String simpleUrl) throws IOException, InterruptedException {
        Files.createDirectories(target);
        Processes.Result pip = Pip.install(target.getParent(), simpleUrl, target, List.of(), "signet-demo-app");
        assertThat(pip.exitCode()).as(pip.output()).isZero();
        assertThat(Files.readString(target.resolve("signet_demo_app/__init__.py"))).contains("\"1.0.0\"");
        assertThat(Files.readString(target.resolve("signet_demo_lib/__init__.py"))).contains("\"1.2.0\"");
        assertThat(Files.readString(target.resolve("signet_demo_utils/__init__.py"))).contains("\"1.0.0\"");
    }

    /**
     * Upstream requests per wheel and signature path; index pages are left out because Signet keeps them in memory
     * only, so a restart fetches them again by design.
     */
    private static Map<String, Integer> artifactFetches(StaticIndexServer upstream, StaticIndex index) {
        return index.fileNames().stream()
                .flatMap(name -> Stream.of("/packages/" + name, "/packages/" + name + ".minisig"))
                .collect(Collectors.toMap(path -> path, upstream::requestCount));
    }

    /** {@code docker stop} sends SIGTERM to PID 1, which is the JVM itself (exec-form entrypoint). */
    private static void assertStopsCleanlyOnSigterm(DockerClient docker, GenericContainer<?> container) {
        String logsBeforeStop = container.getLogs();
        long started = System.nanoTime();
        docker.stopContainerCmd(container.getContainerId()).withTimeout(STOP_TIMEOUT_SECONDS).exec();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(container.getContainerId()).exec().getState();
        assertThat(state.getRunning()).isFalse();
        assertThat(state.getExitCodeLong()).as("exit code after SIGTERM; logs:%n%s", logsBeforeStop).isZero();
        assertThat(took).as("stopped before docker stop's SIGKILL deadline").isLessThan(Duration.ofSeconds(STOP_TIMEOUT_SECONDS));
    }

    private static HttpResponse<Void> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
