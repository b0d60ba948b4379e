package dev.signet.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which decoded request heads are accepted, and the status of each refusal. */
class RequestHeadRulesTest {

    private static final int MAX_HEADERS = 8;

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            HTTP/1.1 | Host: x                                  | accept
            HTTP/1.1 | Host:                                    | accept
            HTTP/1.1 | Host: x; Content-Length: 0               | accept
            HTTP/1.0 | Accept: */*                              | accept
            HTTP/1.0 | Host: x                                  | accept
            HTTP/1.1 | Accept: */*                              | 400
            HTTP/1.1 | Host: a; Host: b                         | 400
            HTTP/1.0 | Host: a; Host: b                         | 400
            HTTP/1.1 | Host: x; Transfer-Encoding: chunked      | 400
            HTTP/1.1 | Host: x; Transfer-Encoding: identity     | 400
            HTTP/1.1 | Host: x; Content-Length: 1               | 400
            HTTP/1.1 | Host: x; Content-Length: nonsense        | 400
            HTTP/2.0 | Host: x                                  | 505
            HTTP/1.1 | Host: x; A: 1; B: 1; C: 1; D: 1; E: 1; F: 1; G: 1; H: 1 | 431
            HTTP/1.1 | Host: x; A: 1; B: 1; C: 1; D: 1; E: 1; F: 1; G: 1 | accept
            """)
    void checks(String version, String headers, String expected) {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.valueOf(version), HttpMethod.GET, "/simple/");
        for (String header : headers.split(";")) {
            int colon = header.indexOf(':');
            head.headers().add(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
        }
        RequestRefusal refusal = RequestHeadRules.check(head, MAX_HEADERS);
        if (expected.equals("accept")) {
            assertThat(refusal).isNull();
        } else {
            assertThat(refusal).isNotNull();
            assertThat(RequestRefusal.statusFor(refusal).code()).isEqualTo(Integer.parseInt(expected));
        }
    }

    @ParameterizedTest
    @CsvSource({"line, 414", "header, 431", "other, 400"})
    void nettysDecodingFailuresMapToTheLimitTheyExceeded(String kind, int status) {
        Exception cause = switch (kind) {
            case "line" -> new TooLongHttpLineException("line");
            case "header" -> new TooLongHttpHeaderException("header");
            default -> new IllegalArgumentException("invalid");
        };
        assertThat(RequestRefusal.statusFor(cause)).isEqualTo(HttpResponseStatus.valueOf(status));
    }
}
