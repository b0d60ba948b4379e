package dev.signet.sig;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * {@code .minisig} files come from the upstream, which is not trusted. Whatever the bytes, {@link MinisignSignature#parse}
 * returns a signature or throws {@link SignatureFormatException}; a parsed signature re-encodes to the bytes it was
 * parsed from (the format has one spelling per signature) and parses again to the same fields.
 */
class MinisignSignatureFuzzTest {

    @FuzzTest
    void parseReturnsASignatureOrRefusesIt(byte[] file) {
        MinisignSignature parsed;
        try {
            parsed = MinisignSignature.parse(file);
        } catch (SignatureFormatException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("\n");
            return;
        }
        byte[] encoded = parsed.encode();
        byte[] withFinalNewline = file.length > 0 && file[file.length - 1] == '\n'
                ? file : Arrays.copyOf(file, file.length + 1);
        withFinalNewline[withFinalNewline.length - 1] = '\n';
        assertThat(encoded).isEqualTo(withFinalNewline);

        MinisignSignature again = parseAgain(encoded);
        assertThat(again.algorithm()).isEqualTo(parsed.algorithm());
        assertThat(again.keyId()).isEqualTo(parsed.keyId());
        assertThat(again.signature()).isEqualTo(parsed.signature());
        assertThat(again.globalSignature()).isEqualTo(parsed.globalSignature());
        assertThat(again.trustedComment()).isEqualTo(parsed.trustedComment());
        assertThat(again.untrustedComment()).isEqualTo(parsed.untrustedComment());
        assertThat(again.trustedFileName()).isEqualTo(parsed.trustedFileName());
        assertThat(parsed.toString()).doesNotContain("\n");
    }

    private static MinisignSignature parseAgain(byte[] encoded) {
        try {
            return MinisignSignature.parse(encoded);
        } catch (SignatureFormatException e) {
            throw new AssertionError("a re-encoded signature no longer parses: " + e.getMessage(), e);
        }
    }
}
