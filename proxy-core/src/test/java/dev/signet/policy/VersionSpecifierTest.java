package dev.signet.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionSpecifierTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "==1.82.7 | 1.82.7 | true", "==1.82.7 | 1.82.7.0 | true", "==1.82.7 | 1.82.8 | false",
            "==1.82.7 | 1.82.7+local | true", "==1.82.7+local | 1.82.7 | false", "==1.82.7 | 1.82.7.post1 | false",
            "==1.4.* | 1.4.99 | true", "==1.4.* | 1.4 | true", "==1.4.* | 1.5 | false", "==1.4.* | 1.4rc1 | true",
            "!=1.4.* | 1.5 | true", "!=1.0 | 1.0 | false",
            ">=2,<2.1 | 2.0 | true", ">=2,<2.1 | 2.0.5 | true", ">=2,<2.1 | 2.0.1rc1 | true", ">=2,<2.1 | 2.1 | false",
            ">=2,<2.1 | 1.9 | false", ">=2, <2.1 | 2.1rc1 | false", ">=2,<2.1 | 2.1.dev0 | false",
            "<2.1rc1 | 2.1b1 | true", "<=2.0 | 2.0+local | true", ">1.0 | 1.0.post1 | false", ">1.0.post1 | 1.0.post2 | true",
            ">1.0 | 1.0+local | false", ">1.0 | 1.1 | true",
            "~=1.4.2 | 1.4.9 | true", "~=1.4.2 | 1.5 | false", "~=1.4 | 1.9 | true", "~=1.4 | 2.0 | false",
            "~=1.4.2 | 1.4.1 | false", "===foo-bar | FOO-BAR | true", "===1.0 | 1.0.0 | false",
            "==1.0 | not-a-version | false", "==2!1.0 | 1.0 | false", ">=1 | 2!0.1 | true"})
    void containsAsPep440Says(String specifier, String version, boolean expected) {
        assertThat(VersionSpecifier.parse(specifier).contains(version)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'' | empty", "1.0 | not a PEP 440 version specifier", ">=1.* | .* suffix", "~=1 | two release segments",
            "==1.0, | not a PEP 440 version specifier", "==abc | not a PEP 440 version", ">=1.0+local | local label",
            "=>1.0 | not a PEP 440 version specifier"})
    void refusesMalformedSpecifiersWithAReason(String specifier, String reason) {
        assertThatThrownBy(() -> VersionSpecifier.parse(specifier)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}
