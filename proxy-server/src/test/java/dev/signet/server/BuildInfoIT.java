package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Http;
import dev.signet.server.testing.Processes;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code signet --version} and {@code signet_build_info} report the version and commit the build recorded. */
class BuildInfoIT {

    @TempDir
    Path dir;

    @Test
    @DisplayName("--version prints the project version and the git commit (it printed 'development build')")
    void versionNamesTheProjectVersionAndTheCommit() throws Exception {
        Processes.Result version = Processes.run(dir, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "signet.jar").toAbsolutePath().toString(), "--version"), 60);

        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.output().strip()).isEqualTo("signet " + pomVersion() + " (commit " + BuildInfo.current().commit() + ")");
        assertThat(version.output()).doesNotContain("development build").doesNotContain("unknown");
        Processes.Result head = Processes.run(Path.of("..").toAbsolutePath().normalize(),
                List.of("git", "rev-parse", "--short=12", "HEAD"), 30);
        assumeTrue(head.exitCode() == 0, "not a git checkout: " + head.output());
        // The build may be of an older commit than the checkout now is (a commit since), never of another repository.
        assertThat(BuildInfo.current().commit()).matches("[0-9a-f]{12}(-dirty)?");
    }

    @Test
    void metricsCarryTheBuildInfoGauge() throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        try (SignetFixture f = SignetFixture.start(dir, List.of(WheelBuilder.wheel("alpha", "1.0.0")),
                new MinisignArtifactSigner(key.secretKey()), key.publicKey().encoded(), Map.of())) {
            String metrics = Http.get("http://127.0.0.1:" + f.signet().adminAddress().getPort() + "/metrics").body();

            BuildInfo build = BuildInfo.current();
            assertThat(metrics).contains("signet_build_info{commit=\"" + build.commit() + "\",version=\"" + pomVersion()
                    + "\"} 1");
            // .ci/run installs libsodium (minisign needs it), so the fast hash is the one in use.
            assertThat(metrics).containsPattern("signet_blake2b_info\\{implementation=\"libsodium 1\\.[0-9.]+\"} 1");
        }
    }

    /** The version in the parent pom, read from the source, not from what the build wrote. */
    private static String pomVersion() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        int parent = pom.indexOf("<parent>");
        int start = pom.indexOf("<version>", parent) + "<version>".length();
        return pom.substring(start, pom.indexOf("</version>", start));
    }
}
