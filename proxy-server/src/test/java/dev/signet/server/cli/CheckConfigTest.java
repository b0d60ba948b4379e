package dev.signet.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.cli.InProcessCli.Run;
import dev.signet.server.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check-config} refuses setups that load but cannot work, and prints plain YAML for those that can. */
class CheckConfigTest {

    private static final Path SHIPPED = Path.of("..", "config", "signet.yaml").toAbsolutePath().normalize();
    private static final String OWN_KEY = "RWQ+X6dxE7tp8w/q43PRxbnBVkeGpCvxMElQICPTklbMCIkbkRjtY4ZH";
    private static final String OWN_KEY_ID = "F369BB1371A75F3E";

    @TempDir
    Path dir;

    @Test
    @DisplayName("the shipped config/signet.yaml as it is: its example upstream and key are refused (check-config exited 0)")
    void theShippedExampleIsRefused() {
        Run run = InProcessCli.signet("check-config", "--config", SHIPPED.toString(),
                "--cache-dir", dir.resolve("cache").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("signet: configuration cannot work:\n"
                + "  - upstream: index.example.org is the example host of config/signet.yaml; set your index's URL\n"
                + "  - trusted-keys[0]: the example key of config/signet.yaml (id 2E0F4F3433911DE8); trust your index's "
                + "public key instead\n");
    }

    @Test
    @DisplayName("a key both trusted and revoked and a cache dir that cannot be created are refused (check-config exited 0)")
    void aKeyTrustedAndRevokedAndAnUncreatableCacheDirAreRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Run run = InProcessCli.signet("check-config", "--upstream", "http://pypi.internal:8080/simple/",
                "--trusted-key", OWN_KEY, "--revoked-key", OWN_KEY_ID, "--cache-dir", file.resolve("cache").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("signet: configuration cannot work:\n"
                + "  - trusted-keys[0]: key " + OWN_KEY_ID + " is also in revoked-keys, so every file it signed is refused; "
                + "remove it from one of the two\n"
                + "  - cache-dir: " + file.resolve("cache") + " cannot be created: " + file + " is not a folder\n");
    }

    @Test
    @DisplayName("the effective settings are plain YAML: no &id001 aliases, unquoted booleans and numbers, loadable again")
    void printsPlainYamlThatLoadsAgain() throws Exception {
        Run run = InProcessCli.signet("check-config", "--upstream", "http://pypi.internal:8080/simple/",
                "--trusted-key", OWN_KEY, "--cache-dir", dir.resolve("cache").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContain("&id").doesNotContain("*id")
                .contains("\nrequire-file-name: true\n", "\noffline: false\n", "\nworker-threads: 0\n",
                        "\nmetadata-checks-per-page: 64\n", "\nrevoked-keys: []\n")
                .doesNotContain("'true'").doesNotContain("'false'").doesNotContain("'0'");
        Path printed = Files.writeString(dir.resolve("effective.yaml"), run.out());
        assertThat(ConfigLoader.load(printed, Map.of(), Map.of()).upstream()).hasToString("http://pypi.internal:8080/simple/");
    }
}
