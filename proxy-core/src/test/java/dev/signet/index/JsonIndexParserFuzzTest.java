package dev.signet.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;

/**
 * JSON index pages come from the upstream. Whatever the bytes, the parser returns a page or throws
 * {@link IndexFormatException}; a parsed page renders to JSON that parses back to the same files and versions.
 */
class JsonIndexParserFuzzTest {

    private static final URI PAGE = URI.create("https://pypi.example/simple/foo/");

    @FuzzTest
    void parseReturnsAPageOrRefusesIt(byte[] json) throws IndexFormatException {
        try {
            ProjectList root = JsonIndexParser.parseRoot(json);
            ProjectList again = JsonIndexParser.parseRoot(JsonIndexRenderer.renderRoot(root));
            assertThat(again.projects()).isEqualTo(root.projects());
        } catch (IndexFormatException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
        ProjectPage first;
        try {
            first = JsonIndexParser.parseProject(json, PAGE);
        } catch (IndexFormatException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        for (DistributionFile file : first.files()) {
            assertThat(file.url().isAbsolute()).as("url of %s", file.filename()).isTrue();
        }
        ProjectPage again = JsonIndexParser.parseProject(JsonIndexRenderer.renderProject(first, Samples::upstream), PAGE);
        assertThat(again.files()).isEqualTo(first.files());
        assertThat(again.versions()).isEqualTo(first.versions());
    }
}
