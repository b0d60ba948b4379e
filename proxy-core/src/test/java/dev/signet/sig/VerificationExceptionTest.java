package dev.signet.sig;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VerificationExceptionTest {

    @Test
    void messageNamesTheFileTheCheckAndTheDetail() {
        VerificationException e = new VerificationException(VerificationFailure.HASH_MISMATCH, "foo-1.0.tar.gz",
                "sha256 from the index page differs");

        assertThat(e).hasMessage("refused foo-1.0.tar.gz: hash mismatch (sha256 from the index page differs)");
        assertThat(e.failure()).isEqualTo(VerificationFailure.HASH_MISMATCH);
        assertThat(e.fileName()).isEqualTo("foo-1.0.tar.gz");
    }

    @Test
    void detailIsOptional() {
        assertThat(new VerificationException(VerificationFailure.TRUNCATED, "a.whl", null))
                .hasMessage("refused a.whl: truncated");
    }

    @Test
    void lineBreaksAndTerminalControlsInUntrustedTextAreEscaped() {
        VerificationException e = new VerificationException(VerificationFailure.FILE_NAME_MISMATCH,
                "a\r\nb\u2028c\u202Ed\u0085.whl", "signature is for file \"x\ty\"");

        assertThat(e.getMessage())
                .isEqualTo("refused a\\u000D\\u000Ab\\u2028c\\u202Ed\\u0085.whl: file name mismatch"
                        + " (signature is for file \"x\\u0009y\")")
                .doesNotContain("\n", "\r", "\u2028", "\u202E");
    }

    @Test
    void veryLongFileNamesAreCut() {
        String longName = "x".repeat(10_000) + ".whl";

        String message = new VerificationException(VerificationFailure.BAD_SIGNATURE, longName, null).getMessage();

        assertThat(message).hasSizeLessThan(400).contains("...: bad signature");
    }

    @Test
    void tagsAreLowerSnakeCaseAndUnique() {
        assertThat(VerificationFailure.KEY_NOT_ALLOWED_FOR_PROJECT.tag()).isEqualTo("key_not_allowed_for_project");
        assertThat(Arrays.stream(VerificationFailure.values()).map(VerificationFailure::tag))
                .allMatch(tag -> tag.matches("[a-z]+(_[a-z]+)*"))
                .doesNotHaveDuplicates()
                .hasSize(14);
    }
}
