package dev.signet.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentChecksTest {

    private static final String OWN_KEY = "RWQ+X6dxE7tp8w/q43PRxbnBVkeGpCvxMElQICPTklbMCIkbkRjtY4ZH";

    @TempDir
    Path dir;

    private SignetConfig config(Map<String, Object> more) throws ConfigException {
        Map<String, Object> settings = new java.util.HashMap<>(Map.of("upstream", "http://pypi.internal/simple/",
                "trusted-keys", List.of(OWN_KEY), "cache-dir", dir.resolve("cache").toString()));
        settings.putAll(more);
        return ConfigLoader.load(null, Map.of(), settings);
    }

    @Test
    void aWorkingSetupHasNoProblems() throws Exception {
        assertThat(DeploymentChecks.problems(config(Map.of()), Map.of("SIGNET_LOG_LEVEL", "debug"))).isEmpty();
    }

    @Test
    void anUnknownLogLevelIsRefused() throws Exception {
        assertThat(DeploymentChecks.problems(config(Map.of()), Map.of("SIGNET_LOG_LEVEL", "LOUD",
                "SIGNET_ACCESS_LOG_LEVEL", "OFF"))).containsExactly(
                "SIGNET_LOG_LEVEL: unknown log level 'LOUD' (expected one of TRACE, DEBUG, INFO, WARN, ERROR, OFF)");
    }

    @Test
    void exampleHostsOfExtraUpstreamsAreRefusedToo() throws Exception {
        SignetConfig c = config(Map.of("upstream", "https://mirror.example.com/simple/"));
        assertThat(DeploymentChecks.problems(c, Map.of())).containsExactly(
                "upstream: mirror.example.com is the example host of config/signet.yaml; set your index's URL");
    }

    @Test
    void theExampleKeyConstantIsTheKeyShippedInConfigSignetYaml() throws Exception {
        String shipped = Files.readString(Path.of("..", "config", "signet.yaml"));
        assertThat(shipped).contains("  - key: " + DeploymentChecks.EXAMPLE_KEY + "\n");
    }
}
