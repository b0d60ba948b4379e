package dev.signet.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileRuleTest {

    @ParameterizedTest(name = "{0} on {1}/{2}: {3}")
    @CsvSource(delimiter = '|', value = {
            "litellm==1.82.7 | litellm | litellm-1.82.7.tar.gz | true",
            "litellm==1.82.7 | litellm | litellm-1.82.7-py3-none-any.whl | true",
            "litellm==1.82.7 | litellm | litellm-1.82.7-py3-none-any.whl.metadata | true",
            "litellm==1.82.7 | litellm | litellm-1.82.8-py3-none-any.whl | false",
            "LiteLLM==1.82.7 | litellm | litellm-1.82.7.tar.gz | true",
            "foo>=2,<2.1 | foo | foo-2.0.3.tar.gz | true",
            "foo>=2,<2.1 | foo | foo-2.1.tar.gz | false",
            "foo>=2,<2.1 | foobar | foobar-2.0.tar.gz | false",
            "foo | foo | foo-9-py3-none-any.whl | true",
            "foo | foo | weird-name.exe | true",
            "foo==1.0 | foo | weird-name.exe | false",
            "internal-* | internal-tools | internal_tools-1.0.tar.gz | true",
            "internal-* | tools | tools-1.0.tar.gz | false",
            "file:foo-1.0.tar.gz | foo | foo-1.0.tar.gz | true",
            "foo-1.0.tar.gz | bar | foo-1.0.tar.gz | true",
            "foo-1.0.tar.gz | foo | foo-1.0.1.tar.gz | false",
            "foo-1.0.tar.gz | foo | foo-1.0.tar.gz.metadata | true",
            "pkg==1.0 | pkg | pkg-1.0.tar.bz2 | true"})
    void matches(String rule, String project, String file, boolean expected) {
        assertThat(FileRule.parse(rule).matches(project, FileVersion.of(file))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"LiteLLM == 1.82.7 | litellm==1.82.7", "foo >=2, <2.1 | foo>=2,<2.1",
            "file: foo-1.0.tar.gz | file:foo-1.0.tar.gz", "Foo_Bar | foo-bar"})
    void writesTheRuleNormalised(String rule, String text) {
        assertThat(FileRule.parse(rule).text()).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"'' | empty", "foo==bar | not a PEP 440 version", "-foo | not a project name",
            "foo_* | normalized name", "file: | not a file name", "file:a/b.whl | not a file name"})
    void refusesMalformedRules(String rule, String reason) {
        assertThatThrownBy(() -> FileRule.parse(rule)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}
