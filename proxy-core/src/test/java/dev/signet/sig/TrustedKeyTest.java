package dev.signet.sig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedKeyTest {

    private final MinisignPublicKey key = Fixtures.newKeyPair().publicKey();

    @Test
    void ofAllowsEveryProjectButNoLegacySignatures() {
        TrustedKey trusted = TrustedKey.of(key);

        assertThat(trusted.allowLegacy()).isFalse();
        assertThat(trusted.appliesTo("anything")).isTrue();
    }

    @Test
    void globsMatchWholeNormalizedNames() {
        TrustedKey trusted = new TrustedKey(key, false, 0, List.of("acme-*", "tool?", "exact"));

        assertThat(trusted.appliesTo("acme-")).isTrue();
        assertThat(trusted.appliesTo("acme-widgets")).isTrue();
        assertThat(trusted.appliesTo("tools")).isTrue();
        assertThat(trusted.appliesTo("exact")).isTrue();
        assertThat(trusted.appliesTo("acme")).isFalse();
        assertThat(trusted.appliesTo("my-acme-widgets")).isFalse();
        assertThat(trusted.appliesTo("tool")).isFalse();
        assertThat(trusted.appliesTo("toolss")).isFalse();
        assertThat(trusted.appliesTo("exactly")).isFalse();
    }

    @Test
    void starsBacktrack() {
        assertThat(ProjectGlob.matches("*-plugin-*", "foo-plugin-plugin-bar")).isTrue();
        assertThat(ProjectGlob.matches("a*b*c", "aXbYbZc")).isTrue();
        assertThat(ProjectGlob.matches("a*b*c", "aXbYbZ")).isFalse();
        assertThat(ProjectGlob.matches("**", "")).isTrue();
        assertThat(ProjectGlob.matches("?", "")).isFalse();
    }

    @Test
    void patternsThatAreNotNormalizedNamesAreRejected() {
        assertThatThrownBy(() -> new TrustedKey(key, false, 0, List.of("Django*")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("project pattern \"Django*\" must be a PEP 503 normalized name (lowercase letters, digits, '-')"
                        + " with * and ?");
        assertThatThrownBy(() -> new TrustedKey(key, false, 0, List.of("zope.interface")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrustedKey(key, false, 0, List.of("")))
                .hasMessage("project pattern must not be empty");
    }

    @Test
    void legacyCapIsBounded() {
        assertThatThrownBy(() -> new TrustedKey(key, true, TrustedKey.MAX_LEGACY_BYTES + 1, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("legacyMaxBytes must be between 0 and 1073741824, was 1073741825");
        assertThatThrownBy(() -> new TrustedKey(key, true, -1, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void patternListIsCopied() {
        List<String> patterns = new ArrayList<>(List.of("a"));
        TrustedKey trusted = new TrustedKey(key, false, 0, patterns);
        patterns.add("b");

        assertThat(trusted.projectPatterns()).containsExactly("a");
        assertThat(trusted.appliesTo("b")).isFalse();
    }
}
