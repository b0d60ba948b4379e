package dev.signet.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProjectNameTest {

    /** The spellings PEP 503 lists as equivalent, plus runs, digits and case. */
    @ParameterizedTest
    @CsvSource({
        "friendly-bard, friendly-bard",
        "Friendly-Bard, friendly-bard",
        "FRIENDLY-BARD, friendly-bard",
        "friendly.bard, friendly-bard",
        "friendly_bard, friendly-bard",
        "friendly--bard, friendly-bard",
        "FrIeNdLy-._.-bArD, friendly-bard",
        "zope.interface, zope-interface",
        "Django, django",
        "typing_extensions, typing-extensions",
        "a, a",
        "backports.zoneinfo, backports-zoneinfo",
        "A1__B2, a1-b2",
    })
    void normalizesLikePep503(String name, String expected) {
        assertThat(ProjectName.normalize(name)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "A", "9", "foo", "Foo.Bar", "foo_bar-baz", "a.b", "zope.interface", "X1"})
    void acceptsValidNames(String name) {
        assertThat(ProjectName.isValid(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-foo", "foo-", ".foo", "foo_", "foo bar", "foo/bar", "é", "foo!", "../x"})
    void rejectsInvalidNames(String name) {
        assertThat(ProjectName.isValid(name)).isFalse();
    }

    @Test
    void nullIsNotValid() {
        assertThat(ProjectName.isValid(null)).isFalse();
    }
}
