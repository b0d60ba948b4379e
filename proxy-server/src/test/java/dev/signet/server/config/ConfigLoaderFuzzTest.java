package dev.signet.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration comes from a YAML file, {@code SIGNET_*} variables and flags. Whatever they hold, loading returns
 * a configuration or throws {@link ConfigException} listing at least one problem; and a configuration that loads is
 * described by {@code check-config} as YAML that loads, on its own, to the same configuration (unless a secret was
 * redacted from it).
 *
 * <p>Input: the YAML text, then any number of {@code NUL}-separated {@code NAME=VALUE} overrides: a {@code SIGNET_*}
 * name is an environment variable, any other a command-line flag (comma-separated values for list settings).
 * {@code @path} key files outside the working directory are not followed: the loader reads whatever file the
 * operator names ({@code @/dev/zero} included), which is the operator's choice rather than hostile input.
 */
class ConfigLoaderFuzzTest {

    private static final Path DIR = temporaryDirectory();
    private static final Path YAML = DIR.resolve("signet.yaml");
    private static final Path DESCRIBED = DIR.resolve("described.yaml");

    @FuzzTest
    void loadReturnsAConfigurationOrListsItsProblems(byte[] input) throws IOException {
        if (followsKeyFileOutsideWorkingDirectory(input)) {
            return;
        }
        int end = indexOf(input, 0, (byte) 0);
        Files.write(YAML, Arrays.copyOfRange(input, 0, end));
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, Object> flags = new LinkedHashMap<>();
        while (end < input.length) {
            int next = indexOf(input, end + 1, (byte) 0);
            String entry = new String(input, end + 1, next - end - 1, StandardCharsets.UTF_8);
            int eq = entry.indexOf('=');
            if (eq > 0) {
                String name = entry.substring(0, eq);
                String value = entry.substring(eq + 1);
                if (name.startsWith("SIGNET_")) {
                    env.put(name, value);
                } else {
                    flags.put(name, ConfigLoader.LIST_KEYS.contains(name) ? ConfigLoader.splitList(value) : value);
                }
            }
            end = next;
        }

        SignetConfig config;
        try {
            config = ConfigLoader.load(YAML, env, flags);
        } catch (ConfigException invalid) {
            assertThat(invalid.errors()).isNotEmpty().allSatisfy(error -> assertThat(error).isNotBlank());
            return;
        }
        assertThat(config).isNotNull();
        String described = describe(env, flags);
        if (described.contains(EffectiveConfig.REDACTED)) {
            return;
        }
        Files.writeString(DESCRIBED, described);
        SignetConfig again;
        try {
            again = ConfigLoader.load(DESCRIBED, Map.of(), Map.of());
        } catch (ConfigException e) {
            throw new AssertionError("check-config's output does not load:\n" + described + "\n" + e.getMessage(), e);
        }
        assertThat(again).usingRecursiveComparison().isEqualTo(config);
    }

    private static String describe(Map<String, String> env, Map<String, Object> flags) {
        try {
            return ConfigLoader.describe(YAML, env, flags);
        } catch (ConfigException e) {
            throw new AssertionError("loads but cannot be described: " + e.getMessage(), e);
        }
    }

    private static boolean followsKeyFileOutsideWorkingDirectory(byte[] input) {
        for (int i = 0; i + 1 < input.length; i++) {
            if (input[i] == '@' && (input[i + 1] == '/' || input[i + 1] == '.' || input[i + 1] == '~')) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] bytes, int from, byte b) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return bytes.length;
    }

    private static Path temporaryDirectory() {
        try {
            Path dir = Files.createTempDirectory("signet-config-fuzz");
            // Deleted at exit in reverse order: the two files, then the directory.
            dir.toFile().deleteOnExit();
            dir.resolve("signet.yaml").toFile().deleteOnExit();
            dir.resolve("described.yaml").toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
