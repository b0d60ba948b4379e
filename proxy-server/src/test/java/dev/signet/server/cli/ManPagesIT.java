package dev.signet.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config/make-man-pages.sh} turns the packaged jar's help text into man pages with GNU help2man. */
class ManPagesIT {

    @Test
    void everyCommandGetsAManPageMadeFromItsHelpText(@TempDir Path out) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/help2man")), "help2man is not installed (.ci/run installs it)");
        Path script = Path.of("..", "config", "make-man-pages.sh").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("bash", script.toString(), Path.of("target", "signet.jar").toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();

        for (String command : new String[] {"serve", "check-config", "publish", "sign", "keygen", "verify", "demo", "health"}) {
            assertThat(out.resolve("signet-" + command + ".1")).as(log).isRegularFile();
        }
        assertThat(out.resolve("signet-help.1")).doesNotExist();
        String serve = read(out.resolve("signet-serve.1"));
        assertThat(serve).contains(".TH SIGNET-SERVE \"1\"").contains("cache\\-dir").contains("Run the verifying proxy");
        String top = read(out.resolve("signet.1"));
        assertThat(top).contains(".TH SIGNET \"1\"").contains("check\\-config");
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
