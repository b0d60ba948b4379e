package dev.signet.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class Pep440VersionTest {

    /** PEP 440's own ordering example ("Summary of permitted suffixes and relative ordering"), plus epochs and locals. */
    private static final List<String> ORDERED = List.of(
            "1.dev0", "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2",
            "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7",
            "1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1", "2!0.1");

    @Test
    void ordersAsPep440Says() {
        List<Pep440Version> shuffled = new ArrayList<>(ORDERED.stream().map(Pep440Version::of).toList());
        Collections.shuffle(shuffled, new java.util.Random(7));
        Collections.sort(shuffled);
        assertThat(shuffled.stream().map(Pep440Version::toString)).containsExactlyElementsOf(ORDERED);
    }

    @ParameterizedTest
    @CsvSource({
            "1.0-Alpha.1, 1.0a1", "v1.0, 1.0", "1.0.0-RC-2, 1.0.0rc2", "1.0c1, 1.0rc1", "1.0-r4, 1.0.post4",
            "1.0-1, 1.0.post1", "1.0.post, 1.0.post0", "1.0-dev, 1.0.dev0", "1!2.0, 1!2.0", "1.0+Ubuntu-1, 1.0+ubuntu.1",
            "1.0preview2, 1.0rc2", "' 2.1 ', 2.1"})
    void normalises(String text, String normal) {
        assertThat(Pep440Version.of(text).toString()).isEqualTo(normal);
    }

    @ParameterizedTest
    @CsvSource({"1.0, 1", "1.0.0, 1", "1.0a1, 1.0.0a1", "1.0+local.1, 1.0+LOCAL-1"})
    void equalIgnoringTrailingZerosAndSpelling(String a, String b) {
        assertThat(Pep440Version.of(a)).isEqualTo(Pep440Version.of(b));
        assertThat(Pep440Version.of(a).hashCode()).isEqualTo(Pep440Version.of(b).hashCode());
    }

    @ParameterizedTest
    @CsvSource({"''", "abc", "1.0-", "1..0", "1.0+", "1.0++a", "1.0 beta", "1234567890123456789"})
    void refusesWhatIsNotAVersion(String text) {
        assertThat(Pep440Version.parse(text)).isEmpty();
    }
}
