package dev.signet.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.testing.Pip;
import dev.signet.server.testing.Processes;
import dev.signet.server.testing.SignetProcess;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code signet demo} as a person runs it: the printed command, run twice, then SIGTERM. */
class DemoIT {

    @TempDir
    Path dir;

    @Test
    @DisplayName("the printed pip command works twice; SIGTERM exits 0 and removes the temp folder (was 143, folder left, fixed --target)")
    void printedCommandWorksTwiceAndSigtermCleansUp() throws Exception {
        try (SignetProcess demo = SignetProcess.start(List.of(), List.of("demo", "--listen", "127.0.0.1:0"))) {
            String files = demo.line("^  files: ").get(60, TimeUnit.SECONDS);
            String command = demo.line("^  python3 -m pip install ").get(60, TimeUnit.SECONDS).strip();
            Path folder = Path.of(files.substring(files.indexOf(':') + 1).replace("(removed on exit)", "").strip());

            assertThat(command).contains("--index-url " + demo.simpleUrl()).doesNotContain("--trusted-host")
                    .contains("--target " + folder.resolve("target"));
            for (int run = 1; run <= 2; run++) {
                Processes.Result pip = Processes.run(dir, Arrays.asList(command.split(" ")), 300, Pip::isolateFromMachineConfig);
                assertThat(pip.exitCode()).as("run " + run + ": " + pip.output()).isZero();
                assertThat(pip.output()).as("run " + run).contains("Successfully installed signet-demo-app")
                        .doesNotContain("already exists");
            }
            assertThat(folder.resolve("target").resolve("signet_demo_app")).isDirectory();

            demo.terminate();
            assertThat(demo.awaitExit(120)).as(String.join("\n", demo.output())).isZero();
            assertThat(folder).doesNotExist();
        }
    }

    @Test
    void offLoopbackTheCommandNamesTheHostForPip() {
        List<String> commands = InstallerCommands.pip(new java.net.InetSocketAddress("10.1.2.3", 8200), Path.of("/t"), "six");
        assertThat(commands).containsExactly("python3 -m pip install --isolated --no-cache-dir --index-url "
                + "http://10.1.2.3:8200/simple/ --trusted-host 10.1.2.3 --upgrade --target /t six");
        List<String> wildcard = InstallerCommands.pip(new java.net.InetSocketAddress("0.0.0.0", 8200), Path.of("/t"), "six");
        assertThat(wildcard).hasSize(2);
        assertThat(wildcard.get(0)).contains("http://127.0.0.1:8200/simple/").doesNotContain("--trusted-host");
        assertThat(wildcard.get(1)).contains("--trusted-host ");
    }
}
