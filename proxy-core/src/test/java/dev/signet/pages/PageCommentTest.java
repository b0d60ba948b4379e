package dev.signet.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageCommentTest {

    @Test
    void rendersTheFieldsInTheDocumentedOrderAndParsesThemBack() throws Exception {
        PageComment comment = new PageComment("six", 42, 1_800_000_000L);
        String text = comment.render(1_799_000_000L);
        assertThat(text).isEqualTo("signet-page:1\tproject:six\tserial:42\texpires:1800000000\ttimestamp:1799000000\tfile:index.json");
        assertThat(PageComment.parse(text, "six")).isEqualTo(comment);
    }

    @Test
    void ignoresFieldsItDoesNotKnowAndTheInformationalOnes() throws Exception {
        assertThat(PageComment.parse("signet-page:1\tproject:six\tserial:1\texpires:5\tfuture:x", "six"))
                .isEqualTo(new PageComment("six", 1, 5));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "timestamp:1\tfile:index.json\thashed",                                 // an artifact signature's comment
        "signet-page:2\tproject:six\tserial:1\texpires:5",                       // another version
        "signet-page:1\tserial:1\texpires:5",                                    // no project
        "signet-page:1\tproject:\tserial:1\texpires:5",
        "signet-page:1\tproject:six\texpires:5",                                 // no serial
        "signet-page:1\tproject:six\tserial:0\texpires:5",
        "signet-page:1\tproject:six\tserial:01\texpires:5",                      // leading zero
        "signet-page:1\tproject:six\tserial:-1\texpires:5",
        "signet-page:1\tproject:six\tserial:+1\texpires:5",
        "signet-page:1\tproject:six\tserial:99999999999999999999\texpires:5",    // too large
        "signet-page:1\tproject:six\tserial:1",                                  // no expiry
        "signet-page:1\tproject:six\tserial:1\texpires:soon",
        "signet-page:1\tproject:six\tproject:seven\tserial:1\texpires:5",        // a field twice
        "signet-page:1\tproject:six\tserial:1\texpires:5\tbroken",               // not name:value
        "signet-page:1\tproject:six\tserial:1\texpires:5\t",
    })
    void refusesCommentsThatAreNotVersionOnePageComments(String text) {
        PageRefusedException refused = catchThrowableOfType(PageRefusedException.class, () -> PageComment.parse(text, "six"));
        assertThat(refused.reason()).isEqualTo(PageRefusal.MALFORMED);
        assertThat(refused.project()).isEqualTo("six");
    }
}
