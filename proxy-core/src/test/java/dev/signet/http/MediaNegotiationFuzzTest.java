package dev.signet.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.signet.http.MediaNegotiation.Chosen;
import dev.signet.http.MediaNegotiation.Malformed;
import dev.signet.http.MediaNegotiation.NotAcceptable;
import dev.signet.http.MediaNegotiation.Outcome;

/**
 * {@code Accept}, {@code ?format=} and {@code Accept-Encoding} come from clients. Whatever they hold, negotiation
 * reaches a format, a 406 or a 400 with a one-line printable reason, and the same answer every time; the gzip choice
 * is a plain yes or no.
 */
class MediaNegotiationFuzzTest {

    @FuzzTest
    void negotiationAlwaysReachesAnAnswer(FuzzedDataProvider data) {
        String format = data.consumeBoolean() ? data.consumeString(100) : null;
        String acceptEncoding = data.consumeString(200);
        String accept = data.consumeRemainingAsString();

        Outcome outcome = MediaNegotiation.negotiate(accept, format);

        assertThat(outcome).isNotNull().isEqualTo(MediaNegotiation.negotiate(accept, format));
        if (outcome instanceof Chosen chosen) {
            assertThat(chosen.format()).isNotNull();
        } else if (outcome instanceof NotAcceptable refused) {
            assertThat(refused.reason()).isNotBlank().doesNotContain("\n", "\r");
        } else {
            assertThat(((Malformed) outcome).reason()).isNotBlank().doesNotContain("\n", "\r");
        }
        MediaNegotiation.acceptsGzip(acceptEncoding);
        MediaNegotiation.acceptsGzip(accept);
    }
}
