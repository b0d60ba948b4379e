package dev.signet.server.demo;

import dev.signet.server.testing.Minisign;
import dev.signet.server.testing.Processes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real installer against the real server: the demo index must be something pip resolves and installs. */
class PipInstallTest {
    private static final long PIP_TIMEOUT_SECONDS = 180;

    @TempDir
    static Path shared;
    static Minisign minisign;

    @TempDir
    Path dir;

    @BeforeAll
    static void generateKey() throws Exception {
        minisign = Minisign.generate(shared.resolve("keys"));
    }

    @ParameterizedTest(name = "withMetadata={0}")
    @ValueSource(booleans = {false, true})
    void pipInstallsTheDemoAppPickingTheNewestCompatibleVersions(boolean withMetadata) throws Exception {
        StaticIndex index = StaticIndex.build(dir.resolve("index"), DemoProjects.demoWheels(), minisign, withMetadata);
        Path packages = index.root().resolve("packages");
        Processes.Result verified = minisign.verify(packages.resolve("signet_demo_app-1.0.0-py3-none-any.whl"),
                packages.resolve("signet_demo_app-1.0.0-py3-none-any.whl.minisig"));
        assertThat(verified.exitCode()).as(verified.output()).isZero();

        Path target = dir.resolve("target");
        try (StaticIndexServer server = StaticIndexServer.start(index.root(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Processes.Result pip = Processes.run(dir, List.of("python3", "-m", "pip", "install", "--isolated",
                    "--no-cache-dir", "--disable-pip-version-check", "--no-input",
                    "--index-url", server.simpleUri().toString(), "--target", target.toString(), "signet-demo-app"),
                    PIP_TIMEOUT_SECONDS, PipInstallTest::isolateFromMachineConfig);

            assertThat(pip.exitCode()).as(pip.output()).isZero();
            assertThat(server.requestCount("/packages/signet_demo_lib-1.2.0-py3-none-any.whl")).isEqualTo(1);
            assertThat(server.requestCount("/packages/signet_demo_lib-2.0.0-py3-none-any.whl")).isZero();
            assertThat(server.requestCount("/packages/signet_demo_utils-1.0.0-py3-none-any.whl")).isEqualTo(1);
            assertThat(server.requestCount("/packages/signet_demo_utils-0.9.0-py3-none-any.whl")).isZero();
            assertThat(server.requestCount("/simple/signet-demo-text/")).isEqualTo(1);
            assertThat(server.requestCount("/packages/signet_demo_lib-1.2.0-py3-none-any.whl.metadata"))
                    .isEqualTo(withMetadata ? 1 : 0);
        }

        assertThat(Files.readString(target.resolve("signet_demo_app/__init__.py"))).contains("\"1.0.0\"");
        assertThat(Files.readString(target.resolve("signet_demo_lib/__init__.py"))).contains("\"1.2.0\"");
        assertThat(Files.readString(target.resolve("signet_demo_utils/__init__.py"))).contains("\"1.0.0\"");
        assertThat(Files.readString(target.resolve("signet_demo_text/__init__.py"))).contains("\"0.3.0\"");
        assertThat(target.resolve("signet_demo_lib-1.2.0.dist-info/RECORD")).isRegularFile();
    }

    /** Machine-wide pip settings (e.g. PIP_FIND_LINKS) would let pip find packages without our index. */
    private static void isolateFromMachineConfig(Map<String, String> env) {
        env.keySet().removeIf(name -> name.startsWith("PIP_"));
        env.keySet().removeIf(name -> name.equalsIgnoreCase("http_proxy") || name.equalsIgnoreCase("https_proxy")
                || name.equalsIgnoreCase("all_proxy"));
        env.put("PIP_CONFIG_FILE", "/dev/null");
        env.put("NO_PROXY", "127.0.0.1,localhost");
    }
}
