package dev.signet.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * HTML index pages come from the upstream. Whatever the markup, the parser returns a page or throws
 * {@link IndexFormatException}; every file it returns has an absolute URL and a safe file name; and the page Signet
 * renders from it parses to a page that renders and parses to itself again (HTML carries one hash per file, so the
 * first trip may drop extra hashes, nothing after that).
 */
class HtmlIndexParserFuzzTest {

    private static final URI PAGE = URI.create("https://pypi.example/simple/foo/");

    @FuzzTest
    void parseReturnsAPageOrRefusesIt(byte[] input) throws IndexFormatException {
        String html = new String(input, StandardCharsets.UTF_8);
        try {
            ProjectList root = HtmlIndexParser.parseRoot(html);
            assertThat(root.projects()).allSatisfy(name -> assertThat(name).isNotBlank());
        } catch (IndexFormatException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
        ProjectPage first;
        try {
            first = HtmlIndexParser.parseProject(html, PAGE, "foo");
        } catch (IndexFormatException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        for (DistributionFile file : first.files()) {
            assertThat(file.url().isAbsolute()).as("url of %s", file.filename()).isTrue();
            assertThat(file.filename()).doesNotContain("/").isNotEqualTo("..");
        }
        ProjectPage second = HtmlIndexParser.parseProject(HtmlIndexRenderer.renderProject(first, Samples::upstream),
                PAGE, "foo");
        assertThat(second.files()).extracting(DistributionFile::filename)
                .containsExactlyElementsOf(first.files().stream().map(DistributionFile::filename).toList());
        ProjectPage third = HtmlIndexParser.parseProject(HtmlIndexRenderer.renderProject(second, Samples::upstream),
                PAGE, "foo");
        assertThat(third.files()).isEqualTo(second.files());
    }
}
