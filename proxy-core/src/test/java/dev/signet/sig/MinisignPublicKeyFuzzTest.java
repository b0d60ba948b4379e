package dev.signet.sig;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Public keys come from configuration and {@code .pub} files an operator copied from somewhere. Whatever the text,
 * {@link MinisignPublicKey#parse} returns a key or throws {@link SignatureFormatException}; a parsed key parses again,
 * from its {@code RW...} line and from its file text, to an equal key.
 */
class MinisignPublicKeyFuzzTest {

    @FuzzTest
    void parseReturnsAKeyOrRefusesIt(byte[] input) throws SignatureFormatException {
        String text = new String(input, StandardCharsets.UTF_8);
        MinisignPublicKey key;
        try {
            key = MinisignPublicKey.parse(text);
        } catch (SignatureFormatException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("\n");
            return;
        }
        assertThat(key.keyBytes()).hasSize(32);
        MinisignPublicKey fromLine = MinisignPublicKey.parse(key.encoded());
        MinisignPublicKey fromFile = MinisignPublicKey.parse(key.toFileText());
        assertThat(fromLine).isEqualTo(key);
        assertThat(fromFile).isEqualTo(key);
        assertThat(fromFile.keyId()).isEqualTo(key.keyId());
        assertThat(fromLine.keyBytes()).isEqualTo(key.keyBytes());
    }
}
