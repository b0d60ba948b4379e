package dev.signet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactKeyTest {

    @ParameterizedTest
    @ValueSource(strings = {"requests", "zope-interface", "a", "0", "pip-tools-2", "x1-y2-z3"})
    void acceptsNormalizedProjectNames(String project) {
        assertThat(new ArtifactKey(project, "f.whl").project()).isEqualTo(project);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Requests", "zope.interface", "zope_interface", "-a", "a-", "a--b", "a/b", "..",
            "a b", "é"})
    void refusesProjectNamesThatAreNotNormalized(String project) {
        assertThatThrownBy(() -> new ArtifactKey(project, "f.whl"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PEP 503");
    }

    @ParameterizedTest
    @ValueSource(strings = {"requests-2.31.0-py3-none-any.whl", "requests-2.31.0.tar.gz",
            "requests-2.31.0-py3-none-any.whl.metadata", "x", "naïve-1.0.tar.gz", "a..b"})
    void acceptsPlainFilenames(String filename) {
        assertThat(new ArtifactKey("requests", filename).filename()).isEqualTo(filename);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", ".hidden", "a/b", "../x", "a\\b", "nul\u0000byte", "tab\there", "del\u007f",
            "f.whl.signet", ".signet", "lone\ud800surrogate"})
    void refusesFilenamesThatAreNotPlainNames(String filename) {
        assertThatThrownBy(() -> new ArtifactKey("requests", filename))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("artifact filename");
    }

    @org.junit.jupiter.api.Test
    void refusesFilenamesWhoseSidecarNameWouldExceed255Bytes() {
        String longest = "a".repeat(ArtifactKey.MAX_FILENAME_BYTES);
        assertThat(new ArtifactKey("p", longest).filename()).hasSize(248);
        assertThatThrownBy(() -> new ArtifactKey("p", longest + "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("249 bytes");
        // Multi-byte characters count by their UTF-8 length.
        assertThatThrownBy(() -> new ArtifactKey("p", "é".repeat(125)))
                .hasMessageContaining("250 bytes");
    }

    @org.junit.jupiter.api.Test
    void errorMessagesDoNotEchoControlCharacters() {
        assertThatThrownBy(() -> new ArtifactKey("requests", "a\u0000b"))
                .hasMessage("artifact filename must not contain control characters: \"a\\x00b\"");
    }
}
