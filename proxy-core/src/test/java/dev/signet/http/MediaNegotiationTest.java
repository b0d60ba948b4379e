package dev.signet.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.http.MediaNegotiation.Chosen;
import dev.signet.http.MediaNegotiation.Malformed;
import dev.signet.http.MediaNegotiation.NotAcceptable;
import dev.signet.http.MediaNegotiation.PageFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaNegotiationTest {

    private static final String PIP = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, "
            + "text/html; q=0.01";
    private static final String UV = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, "
            + "text/html;q=0.01";

    private static PageFormat chosen(String accept, String format) {
        MediaNegotiation.Outcome outcome = MediaNegotiation.negotiate(accept, format);
        assertThat(outcome).isInstanceOf(Chosen.class);
        return ((Chosen) outcome).format();
    }

    @Test
    void pipAndUvGetJson() {
        assertThat(chosen(PIP, null)).isEqualTo(PageFormat.V1_JSON);
        assertThat(chosen(UV, null)).isEqualTo(PageFormat.V1_JSON);
    }

    @Test
    void noAcceptOrWildcardGetsPlainHtml() {
        assertThat(chosen(null, null)).isEqualTo(PageFormat.TEXT_HTML);
        assertThat(chosen("", null)).isEqualTo(PageFormat.TEXT_HTML);
        assertThat(chosen("*/*", null)).isEqualTo(PageFormat.TEXT_HTML);
        assertThat(chosen("text/html,application/xhtml+xml,*/*;q=0.8", null)).isEqualTo(PageFormat.TEXT_HTML);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "application/vnd.pypi.simple.v1+html | V1_HTML",
            "application/vnd.pypi.simple.latest+json | V1_JSON",
            "application/vnd.pypi.simple.latest+html | V1_HTML",
            "text/html;q=0.5, application/vnd.pypi.simple.v1+json;q=0.6 | V1_JSON",
            "application/*;q=0.3, text/*;q=0.2 | V1_HTML",
            "*/*;q=0.1, application/vnd.pypi.simple.v1+json;q=0.1 | V1_JSON",
            "APPLICATION/VND.PYPI.SIMPLE.V1+JSON | V1_JSON",
            "*/*, text/html;q=0 | V1_HTML",
            "text/*, text/html;q=0, application/vnd.pypi.simple.v1+json;q=0.001 | V1_JSON"})
    void qualityAndSpecificityDecide(String accept, PageFormat expected) {
        assertThat(chosen(accept, null)).isEqualTo(expected);
    }

    @Test
    void nothingAcceptableIs406() {
        assertThat(MediaNegotiation.negotiate("application/json", null)).isInstanceOf(NotAcceptable.class);
        assertThat(MediaNegotiation.negotiate("text/html;q=0, application/vnd.pypi.simple.v1+json;q=0.000", null))
                .isInstanceOf(NotAcceptable.class);
        assertThat(MediaNegotiation.negotiate("image/*", null)).isInstanceOf(NotAcceptable.class);
    }

    @Test
    void formatParameterOverridesAccept() {
        assertThat(chosen(PIP, "text/html")).isEqualTo(PageFormat.TEXT_HTML);
        assertThat(chosen("text/html", "application/vnd.pypi.simple.v1+json")).isEqualTo(PageFormat.V1_JSON);
        assertThat(chosen(null, "application/vnd.pypi.simple.latest+html")).isEqualTo(PageFormat.V1_HTML);
        assertThat(MediaNegotiation.negotiate(PIP, "json")).isInstanceOf(NotAcceptable.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"text", "text/html;q=2", "text/html;q=0.0001", "/html", "text/html;q",
            "*/html", "te xt/html"})
    void malformedAcceptIsRefused(String accept) {
        MediaNegotiation.Outcome outcome = MediaNegotiation.negotiate(accept, null);
        assertThat(outcome).isInstanceOf(Malformed.class);
        assertThat(((Malformed) outcome).reason()).contains("Accept");
    }

    @Test
    void contentTypesNameTheFormat() {
        assertThat(PageFormat.V1_JSON.contentType()).isEqualTo("application/vnd.pypi.simple.v1+json");
        assertThat(PageFormat.TEXT_HTML.contentType()).startsWith("text/html");
        assertThat(PageFormat.V1_HTML.contentType()).startsWith("application/vnd.pypi.simple.v1+html");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "gzip | true", "gzip, deflate, br | true", "x-gzip | true", "* | true", "gzip;q=0 | false",
            "*, gzip;q=0 | false", "identity | false", "deflate | false", "gzip;q=0.5 | true", "'' | false",
            "*;q=0 | false"})
    void gzipWhenAccepted(String acceptEncoding, boolean expected) {
        assertThat(MediaNegotiation.acceptsGzip(acceptEncoding)).isEqualTo(expected);
    }

    @Test
    void noAcceptEncodingMeansIdentity() {
        assertThat(MediaNegotiation.acceptsGzip(null)).isFalse();
    }

    /** Found by MediaNegotiationFuzzTest: {@code ";".split(";")} is an empty array, and pieces[0] threw. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {";", ";;", " ; ", "text/html, ;", ";q=1"})
    void acceptOfOnlySemicolonsIsMalformedInsteadOfThrowingArrayIndexOutOfBounds(String accept) {
        assertThat(MediaNegotiation.negotiate(accept, null)).isInstanceOf(Malformed.class);
    }

    /** Found by MediaNegotiationFuzzTest, as above, in Accept-Encoding. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"; | false", ";; | false", "gzip, ; | true", ";, * | true"})
    void acceptEncodingOfOnlySemicolonsIsIgnoredInsteadOfThrowingArrayIndexOutOfBounds(String acceptEncoding,
            boolean expected) {
        assertThat(MediaNegotiation.acceptsGzip(acceptEncoding)).isEqualTo(expected);
    }
}
