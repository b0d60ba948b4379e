package dev.signet.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration errors a person can act on: where in the file, what was probably meant, and nothing that follows from another error. */
class ConfigErrorsTest {

    private static final String KEY = "RWToHZEzNE8PLs53lNYF/LLnyAhz54PlV5wlyW0Zas6+nfEn5wTBXL05";
    private static final String VALID = "upstream: http://index.test/simple/\ntrusted-keys:\n  - " + KEY + "\n";

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("signet.yaml"), text);
    }

    private static List<String> errorsOf(Path file, Map<String, String> env, Map<String, Object> overrides) {
        try {
            ConfigLoader.load(file, env, overrides);
        } catch (ConfigException e) {
            return e.located();
        }
        throw new AssertionError("configuration was accepted");
    }

    @Test
    @DisplayName("a misspelt key gets its line, column and a 'did you mean' (index-tll -> index-ttl)")
    void misspeltKeyIsLocatedAndCorrected() throws IOException {
        Path file = yaml(VALID + "index-tll: 5m\nupstream-timeouts:\n  frist-byte: 10s\ncolour: blue\n");

        assertThat(errorsOf(file, Map.of(), Map.of())).containsExactly(
                file + ":4:1: unknown setting 'index-tll' (did you mean index-ttl?)",
                file + ":6:3: unknown setting 'upstream-timeouts.frist-byte' (did you mean upstream-timeouts.first-byte?)",
                file + ":7:1: unknown setting 'colour'");
    }

    @Test
    void misspeltVariablesAndFlagsGetADidYouMean() {
        Map<String, Object> flags = Map.of("upstream", "http://index.test/simple/", "trusted-keys", List.of(KEY),
                "max-stal", "1h");

        assertThat(errorsOf(null, Map.of("SIGNET_INDEX_TLL", "5m", "SIGNET_LOG_LEVL", "INFO"), flags)).containsExactlyInAnyOrder(
                "unknown environment variable SIGNET_INDEX_TLL (did you mean SIGNET_INDEX_TTL?)",
                "unknown environment variable SIGNET_LOG_LEVL (did you mean SIGNET_LOG_LEVEL?)",
                "unknown setting from the command line: max-stal (did you mean max-stale?)");
    }

    @Test
    @DisplayName("upstream-timeouts: 5s says a mapping is expected there (was: unknown setting 'upstream-timeouts')")
    void aScalarWhereASectionBelongsSaysAMappingIsExpected() throws IOException {
        Path file = yaml(VALID + "upstream-timeouts: 5s\n");

        assertThat(errorsOf(file, Map.of(), Map.of())).containsExactly(file + ":4:1: upstream-timeouts: expected a mapping "
                + "of settings (connect, first-byte, idle, total), got '5s'");
        assertThat(errorsOf(null, Map.of(), Map.of("upstream", "http://index.test/simple/", "trusted-keys", List.of(KEY),
                "upstream-timeouts", "5s"))).containsExactly("unknown setting from the command line: upstream-timeouts "
                + "(a section: set upstream-timeouts.SETTING, one of connect, first-byte, idle, total)");
    }

    @Test
    @DisplayName("a YAML syntax error is the only error, with its line (was followed by 'upstream: required')")
    void aSyntaxErrorHasNoFollowOnErrors() throws IOException {
        Path file = yaml(VALID + "index-ttl: [10m\nmax-stale: 1d\n");

        List<String> errors = errorsOf(file, Map.of(), Map.of());

        assertThat(errors).singleElement().asString().startsWith(file + ":5:").contains(": not valid YAML: ")
                .doesNotContain("\n");
        assertThat(String.join("\n", errors)).doesNotContain("required");
    }

    @Test
    void anUnreadableFileIsTheOnlyError() throws IOException {
        assertThat(errorsOf(dir, Map.of(), Map.of())).containsExactly("cannot read config file " + dir + ": is a directory");
        Path missing = dir.resolve("absent.yaml");
        assertThat(errorsOf(missing, Map.of(), Map.of()))
                .containsExactly("cannot read config file " + missing + ": no such file or directory");
    }

    @Test
    void aBadValueInTheFileIsLocatedUnlessALaterLayerReplacedIt() throws IOException {
        Path file = yaml(VALID + "index-ttl: banana\nmax-stale: forever\n  # comment\ntrusted-keys-extra: 1\n".replace("trusted-keys-extra: 1\n", ""));

        assertThat(errorsOf(file, Map.of("SIGNET_MAX_STALE", "sometime"), Map.of())).containsExactly(
                file + ":4:1: index-ttl: not a duration (examples: 500ms, 90s, 10m, 1h, 7d): banana",
                "max-stale: not a duration (examples: 500ms, 90s, 10m, 1h, 7d): sometime");
    }

    @Test
    void anEntryOfAListIsLocatedByItsItem() throws IOException {
        Path file = yaml("upstream: http://index.test/simple/\ntrusted-keys:\n  - " + KEY + "\n  - RWnotakey\n");

        assertThat(errorsOf(file, Map.of(), Map.of())).singleElement().asString().startsWith(file + ":4:5: trusted-keys[1]: ");
    }
}
