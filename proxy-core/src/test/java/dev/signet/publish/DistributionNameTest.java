package dev.signet.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DistributionNameTest {

    @ParameterizedTest
    @CsvSource({
            "absl_py-2.5.0-py3-none-any.whl, absl-py, 2.5.0, true",
            "torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl, torch, 2.13.0+cpu, true",
            "Cython-0.29.37-1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl, cython, 0.29.37, true",
            "zope.interface-6.0-cp311-cp311-linux_x86_64.whl, zope-interface, 6.0, true",
            "my-old-project-1.0.tar.gz, my-old-project, 1.0, false",
            "Foo_Bar-2.0rc1.zip, foo-bar, 2.0rc1, false",
    })
    void readsProjectAndVersion(String fileName, String project, String version, boolean wheel) throws Exception {
        DistributionName name = DistributionName.parse(fileName);
        assertThat(name.project()).isEqualTo(project);
        assertThat(name.version()).isEqualTo(version);
        assertThat(name.wheel()).isEqualTo(wheel);
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo.whl", "foo-1.0.whl", "foo-1.0-py3-none.whl", "-1.0.tar.gz", "foo-.tar.gz",
            "foo-bar.tar.gz", "foo-1.0.exe", "foo 1.0.tar.gz", "foo-1.0-py3-none-any.whl.metadata",
            "_foo-1.0-py3-none-any.whl", "foo-1.0-py3-none-any%2F.whl"})
    void refusesNamesThatAreNotWheelsOrSdistsNamingTheFile(String fileName) {
        assertThatThrownBy(() -> DistributionName.parse(fileName))
                .isInstanceOf(PublishException.class)
                .hasMessageStartingWith(fileName + ": not a valid wheel or sdist name");
    }

    @ParameterizedTest
    @CsvSource({
            "Foo-1.0.tar.gz, foo-1.0.tar.gz",
            "foo_bar-1.0-py3-none-any.whl, Foo.Bar-1.0-py3-none-any.whl",
            "foo-1.0-py3-none-any.whl, FOO-1.0-PY3-none-any.whl",
    })
    void spellingsOfOneFileClash(String one, String other) throws Exception {
        assertThat(DistributionName.parse(one).clashKey()).isEqualTo(DistributionName.parse(other).clashKey());
    }

    @ParameterizedTest
    @CsvSource({
            "foo-1.0.tar.gz, foo-1.0.zip",
            "foo-1.0-py3-none-any.whl, foo-1.1-py3-none-any.whl",
            "foo-1.0-py3-none-any.whl, foobar-1.0-py3-none-any.whl",
    })
    void differentFilesDoNotClash(String one, String other) throws Exception {
        assertThat(DistributionName.parse(one).clashKey()).isNotEqualTo(DistributionName.parse(other).clashKey());
    }
}
