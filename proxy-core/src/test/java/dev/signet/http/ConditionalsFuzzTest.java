package dev.signet.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;

/**
 * Conditional headers come from clients; the entity-tag and date they are compared with are Signet's own. Whatever
 * the headers: an outcome is always reached; 304 only for GET and HEAD; a request with no condition proceeds; a
 * request naming our exact tag in a well-formed {@code If-None-Match} never proceeds; {@code If-Range} with a weak tag never allows a
 * range.
 */
class ConditionalsFuzzTest {

    private static final String ETAG = ETags.strongFromSha256("0123456789abcdef".repeat(4));
    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "get"};

    @FuzzTest
    void evaluationFollowsTheRfcOrder(FuzzedDataProvider data) {
        String method = data.pickValue(METHODS);
        String etag = data.consumeBoolean() ? ETAG : null;
        Instant lastModified = data.consumeBoolean()
                ? Instant.ofEpochSecond(data.consumeLong(-62_167_219_200L, 253_402_300_799L)) : null;
        String ifMatch = header(data);
        String ifUnmodifiedSince = header(data);
        String ifNoneMatch = header(data);
        String ifModifiedSince = header(data);
        String ifRange = header(data);

        ConditionalOutcome outcome = Conditionals.evaluate(method, ifMatch, ifUnmodifiedSince, ifNoneMatch,
                ifModifiedSince, etag, lastModified);

        assertThat(outcome).isNotNull();
        boolean getOrHead = method.equals("GET") || method.equals("HEAD");
        if (outcome == ConditionalOutcome.NOT_MODIFIED) {
            assertThat(getOrHead).isTrue();
        }
        assertThat(Conditionals.evaluate(method, null, null, null, null, etag, lastModified))
                .isEqualTo(ConditionalOutcome.PROCEED);
        String naming = ETAG + ", " + (ifNoneMatch == null ? "" : ifNoneMatch);
        // Only a well-formed list names our tag: a malformed If-None-Match is ignored (the request proceeds), which is
        // the safe answer (the fuzzer found "tag, <control bytes>" proceeding; the oracle, not Conditionals, was wrong).
        if (etag != null && ifMatch == null && ifUnmodifiedSince == null && EntityTag.parseList(naming).isPresent()) {
            assertThat(Conditionals.evaluate(method, null, null, naming, ifModifiedSince, etag, lastModified))
                    .isEqualTo(getOrHead ? ConditionalOutcome.NOT_MODIFIED : ConditionalOutcome.PRECONDITION_FAILED);
        }
        Conditionals.ifRangeAllows(ifRange, etag, lastModified);
        assertThat(Conditionals.ifRangeAllows(null, etag, lastModified)).isTrue();
        assertThat(Conditionals.ifRangeAllows("W/" + ETAG, etag, lastModified)).isFalse();
    }

    private static String header(FuzzedDataProvider data) {
        return data.consumeBoolean() ? null : data.consumeString(200);
    }
}
