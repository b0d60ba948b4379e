package dev.signet.publish;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageCommentTest {

    @Test
    void writesTheFieldsOfFormatVersionOneInTheirOrder() {
        assertThat(new PageComment("foo-bar", 42, 1_700_604_800L, 1_700_000_000L).format()).isEqualTo(
                "signet-page:1\tproject:foo-bar\tserial:42\texpires:1700604800\ttimestamp:1700000000\tfile:index.json");
    }

    @Test
    void readsWhatItWritesAndIgnoresUnknownFields() {
        PageComment comment = new PageComment("p", 7, 100, 50);
        assertThat(PageComment.parse(comment.format())).contains(comment);
        assertThat(PageComment.parse("signet-page:1\tproject:p\tserial:7\texpires:100\tnew-field:x"))
                .contains(new PageComment("p", 7, 100, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "timestamp:1\tfile:index.json\thashed",
            "signet-page:2\tproject:p\tserial:1\texpires:1",
            "signet-page:1\tproject:p\tserial:0\texpires:1",
            "signet-page:1\tproject:p\tserial:01\texpires:1",
            "signet-page:1\tproject:p\tserial:+1\texpires:1",
            "signet-page:1\tproject:p\tserial:9223372036854775808\texpires:1",
            "signet-page:1\tproject:p\tserial:1",
            "signet-page:1\tserial:1\texpires:1",
            "signet-page:1\tproject:p\tproject:q\tserial:1\texpires:1",
    })
    void refusesCommentsThatAreNotVersionOnePageComments(String text) {
        assertThat(PageComment.parse(text)).isEmpty();
    }
}
