package dev.signet.server.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.signet.server.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config/signet.service} is a unit systemd accepts, with the dedicated user and hardening it promises. */
class SystemdUnitTest {

    private static final Path UNIT = Path.of("..", "config", "signet.service").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void systemdAnalyzeVerifyAcceptsTheUnit() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed (Debian package systemd)");
        // verify checks the unit under its own name; a copy keeps the check off the source tree.
        Path copy = Files.copy(UNIT, dir.resolve("signet.service"));

        Processes.Result verify = Processes.run(dir, List.of(analyze.toString(), "verify", "--man=no", copy.toString()), 60);

        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.output()).as("warnings are problems too").isBlank();
    }

    @Test
    void runsAsItsOwnUserWithItsStateDirectoryAndHardening() throws Exception {
        List<String> lines = Files.readAllLines(UNIT).stream().map(String::strip).toList();

        assertThat(lines).contains("User=signet", "StateDirectory=signet", "Environment=SIGNET_CACHE_DIR=/var/lib/signet/cache",
                "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "CapabilityBoundingSet=");
        assertThat(lines).noneMatch(line -> line.startsWith("MemoryDenyWriteExecute="));
        assertThat(lines.stream().filter(line -> line.startsWith("ExecStart=")).findFirst().orElseThrow())
                .contains(" serve --config /etc/signet/signet.yaml");
    }
}
