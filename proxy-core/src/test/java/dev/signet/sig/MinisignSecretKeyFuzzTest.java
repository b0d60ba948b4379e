package dev.signet.sig;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Secret key files are read by {@code signet sign} and {@code keygen}, possibly from a copy someone tampered with.
 * Whatever the text and password, {@link MinisignSecretKey#parse} returns a key or throws
 * {@link SignatureFormatException} (scrypt limits in the file are bounded, never ground on); a parsed key writes a file
 * that parses back to the same key, and what it signs verifies with its public key.
 */
class MinisignSecretKeyFuzzTest {

    private static final byte[] MESSAGE = "signet fuzz".getBytes(StandardCharsets.UTF_8);

    /** Input: one byte N, then N bytes of password (none at all when N is 0), then the key file text. */
    @FuzzTest
    void parseReturnsAKeyOrRefusesIt(byte[] input) throws SignatureFormatException {
        if (input.length == 0) {
            return;
        }
        int passwordBytes = Math.min(input[0] & 0x1f, input.length - 1);
        char[] password = passwordBytes == 0 ? null
                : new String(input, 1, passwordBytes, StandardCharsets.UTF_8).toCharArray();
        String text = new String(input, 1 + passwordBytes, input.length - 1 - passwordBytes, StandardCharsets.UTF_8);
        MinisignSecretKey key;
        try {
            key = MinisignSecretKey.parse(text, password);
        } catch (SignatureFormatException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("\n");
            return;
        }
        MinisignSecretKey.isEncrypted(text);
        MinisignSecretKey again = MinisignSecretKey.parse(key.toFileText(null), null);
        assertThat(again.keyId()).isEqualTo(key.keyId());
        assertThat(again.publicKey()).isEqualTo(key.publicKey());
        byte[] signature = key.sign(MESSAGE);
        assertThat(key.publicKey().verify(signature, MESSAGE, 0, MESSAGE.length)).isTrue();
    }
}
