package dev.signet.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * Hrefs and urls of index pages come from the upstream. Escaping yields only characters a URI may hold and is
 * idempotent; resolving yields an absolute URL or throws {@link URISyntaxException}; the last path segment of any
 * result can be read.
 */
class HrefsFuzzTest {

    private static final URI PAGE = URI.create("https://pypi.example/simple/foo/");

    @FuzzTest
    void resolveYieldsAnAbsoluteUrlOrRefuses(byte[] input) {
        String reference = new String(input, StandardCharsets.UTF_8);
        String escaped = Hrefs.escapeIllegal(reference);
        assertThat(escaped.chars()).allMatch(c -> c > 0x20 && c < 0x7f && "\"<>\\^`{|}".indexOf(c) < 0);
        assertThat(Hrefs.escapeIllegal(escaped)).isEqualTo(escaped);
        Hrefs.Split split;
        try {
            split = Hrefs.resolve(PAGE, reference);
        } catch (URISyntaxException refused) {
            return;
        }
        assertThat(split.target().isAbsolute()).as("resolved %s", split.target()).isTrue();
        assertThat(split.target().getRawFragment()).isNull();
        Hrefs.lastSegment(split.target());
    }
}
