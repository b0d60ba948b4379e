package dev.signet.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URISyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HrefsTest {

    private static final URI BASE = URI.create("https://h.example/simple/foo/?page=2");

    /** Expected values follow RFC 3986 section 5.4 and what browsers do with sloppy hrefs. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "f.tar.gz                       | https://h.example/simple/foo/f.tar.gz",
        "./f.tar.gz                     | https://h.example/simple/foo/f.tar.gz",
        "../../p/f.tar.gz               | https://h.example/p/f.tar.gz",
        "/p/f.tar.gz                    | https://h.example/p/f.tar.gz",
        "//cdn.example/f.tar.gz         | https://cdn.example/f.tar.gz",
        "HTTP://Other.example/f.tar.gz  | HTTP://Other.example/f.tar.gz",
        "?x=1                           | https://h.example/simple/foo/?x=1",
        "a%20b%2Bc+d.tar.gz             | https://h.example/simple/foo/a%20b%2Bc+d.tar.gz",
        "100%.tar.gz                    | https://h.example/simple/foo/100%25.tar.gz",
        "http://[::1]:8080/x[1].tar.gz  | http://[::1]:8080/x%5B1%5D.tar.gz",
        "http://h.example/[x]/y.tar.gz  | http://h.example/%5Bx%5D/y.tar.gz",
    })
    void resolvesLikeABrowser(String href, String expected) throws Exception {
        assertThat(Hrefs.resolve(BASE, href).target().toString()).isEqualTo(expected);
    }

    @Test
    void stripsWhitespaceAndEscapesWhatAUriMayNotContain() throws Exception {
        assertThat(Hrefs.resolve(BASE, "  f.tar.gz\t ").target().toString())
                .isEqualTo("https://h.example/simple/foo/f.tar.gz");
        assertThat(Hrefs.resolve(BASE, "f\nil\re.tar.gz").target().toString())
                .isEqualTo("https://h.example/simple/foo/file.tar.gz");
        assertThat(Hrefs.resolve(BASE, "a b\u00e9\u6f22.tar.gz").target().toString())
                .isEqualTo("https://h.example/simple/foo/a%20b%C3%A9%E6%BC%A2.tar.gz");
        assertThat(Hrefs.resolve(BASE, "a\\b{c}|d^e`f\"g<h>.tar.gz").target().toString())
                .isEqualTo("https://h.example/simple/foo/a%5Cb%7Bc%7D%7Cd%5Ee%60f%22g%3Ch%3E.tar.gz");
    }

    @Test
    void emptyReferenceIsTheBaseWithoutFragment() throws Exception {
        assertThat(Hrefs.resolve(URI.create("https://h.example/s/?q=1#top"), "").target().toString())
                .isEqualTo("https://h.example/s/?q=1");
        assertThat(Hrefs.resolve(URI.create("https://h.example"), "x.whl").target().toString())
                .isEqualTo("https://h.example/x.whl");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "f.tar.gz#sha256=ab   | sha256=ab",
        "f.tar.gz#a#b         | a#b",
        "f.tar.gz#            | ''",
    })
    void splitsTheFragmentAtTheFirstHash(String href, String fragment) throws Exception {
        Hrefs.Split split = Hrefs.resolve(BASE, href);

        assertThat(split.fragment()).isEqualTo(fragment);
        assertThat(split.target().getRawFragment()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://h.example/a/b%20c%2Bd.tar.gz | b c+d.tar.gz",
        "http://h.example/a/x+y.tar.gz       | x+y.tar.gz",
        "http://h.example/a/%C3%A9.whl       | \u00e9.whl",
        "http://h.example/a/                 | ''",
        "http://h.example                    | ''",
    })
    void lastSegmentIsDecodedWithoutTurningPlusIntoSpace(String url, String segment) {
        assertThat(Hrefs.lastSegment(URI.create(url))).isEqualTo(segment);
    }

    @ParameterizedTest
    @CsvSource({"http://[oops/x", "1http://h/x"})
    void refusesWhatNoEscapingCanSave(String href) {
        assertThatThrownBy(() -> Hrefs.resolve(BASE, href)).isInstanceOf(URISyntaxException.class);
    }
}
