package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.DemoProjects;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.testing.Pip;
import dev.signet.server.testing.Processes;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real pip against Signet in front of an HTML-only upstream and in front of a JSON-only upstream: a plain install, a
 * binary-only install, {@code pip download}, a resolve that must backtrack, and a {@code --require-hashes} install.
 */
class SimpleApiPipIT {

    private static final String UTILS_1 = "signet_demo_utils-1.0.0-py3-none-any.whl";

    @ParameterizedTest(name = "json upstream: {0}")
    @ValueSource(booleans = {false, true})
    void pipWorksThroughSignetWhateverTheUpstreamSpeaks(boolean jsonUpstream, @TempDir Path dir) throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        SignetFixture.Options options = new SignetFixture.Options(false, jsonUpstream,
                Map.of("signet_demo_lib-2.0.0-py3-none-any.whl", "broken build"));
        try (SignetFixture f = SignetFixture.start(dir, DemoProjects.demoWheels(),
                new MinisignArtifactSigner(key.secretKey()), key.publicKey().encoded(), Map.of(), options)) {
            Path plain = install(f, dir, "plain", List.of(), "signet-demo-app");
            assertVersions(plain, "1.2.0", "1.0.0");

            Path binary = install(f, dir, "binary", List.of("--only-binary", ":all:"), "signet-demo-app");
            assertVersions(binary, "1.2.0", "1.0.0");

            // utils<1.0 conflicts with lib 1.2.0 (needs utils>=1.0): pip must backtrack to lib 1.0.0.
            Path backtracked = install(f, dir, "backtrack", List.of(), "signet-demo-app", "signet-demo-utils<1.0");
            assertVersions(backtracked, "1.0.0", "0.9.0");

            Path requirements = Files.writeString(dir.resolve("requirements.txt"),
                    "signet-demo-utils==1.0.0 --hash=sha256:" + f.index().sha256(UTILS_1) + "\n");
            Path hashed = install(f, dir, "hashed", List.of("--require-hashes", "--no-deps", "-r", requirements.toString()));
            assertThat(Files.readString(hashed.resolve("signet_demo_utils/__init__.py"))).contains("\"1.0.0\"");

            Path downloads = Files.createDirectories(dir.resolve("downloads"));
            List<String> download = new ArrayList<>(List.of("python3", "-m", "pip", "download", "--isolated",
                    "--no-cache-dir", "--disable-pip-version-check", "--no-input", "--index-url", f.simpleUrl(),
                    "--no-deps", "-d", downloads.toString(), "signet-demo-utils==1.0.0"));
            Processes.Result pip = Processes.run(dir, download, 300, Pip::isolateFromMachineConfig);
            assertThat(pip.exitCode()).as(pip.output()).isZero();
            assertThat(Files.readAllBytes(downloads.resolve(UTILS_1))).isEqualTo(f.upstreamBytes(UTILS_1));

            if (jsonUpstream) {
                assertThat(f.json().requestCount("/simple/signet-demo-lib/")).as("pages came from the JSON upstream").isPositive();
                assertThat(f.upstream().requestCount("/simple/signet-demo-lib/")).isZero();
            }
            assertThat(f.upstream().requestCount("/packages/" + UTILS_1)).as("one verified fill served every install").isEqualTo(1);
        }
    }

    private static Path install(SignetFixture f, Path dir, String name, List<String> args, String... requirements)
            throws Exception {
        Path target = Files.createDirectories(dir.resolve(name));
        Processes.Result pip = Pip.install(dir, f.simpleUrl(), target, args, requirements);
        assertThat(pip.exitCode()).as(pip.output()).isZero();
        return target;
    }

    private static void assertVersions(Path target, String lib, String utils) throws Exception {
        assertThat(Files.readString(target.resolve("signet_demo_app/__init__.py"))).contains("\"1.0.0\"");
        assertThat(Files.readString(target.resolve("signet_demo_lib/__init__.py"))).contains("\"" + lib + "\"");
        assertThat(Files.readString(target.resolve("signet_demo_utils/__init__.py"))).contains("\"" + utils + "\"");
    }
}
