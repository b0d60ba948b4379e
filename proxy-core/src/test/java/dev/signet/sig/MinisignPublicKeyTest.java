package dev.signet.sig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MinisignPublicKeyTest {

    /** A key minisign 0.11 generated; its .pub comment says the id is 3BA7CD2DAF2B2385. */
    private static final String MINISIGN_KEY = "RWSFIyuvLc2nOyTtBcdz99IBkT1EvjHPkQtMiTMUFg/5xd/5zi2OkXlv";

    @Test
    void parsesABareKeyLine() throws Exception {
        MinisignPublicKey key = MinisignPublicKey.parse(MINISIGN_KEY);

        assertThat(key.keyId()).hasToString("3BA7CD2DAF2B2385");
        assertThat(key.encoded()).isEqualTo(MINISIGN_KEY);
        assertThat(key.keyBytes()).hasSize(32);
    }

    @Test
    void parsesABareKeyLineWithItsNewline() throws Exception {
        assertThat(MinisignPublicKey.parse(MINISIGN_KEY + "\n").encoded()).isEqualTo(MINISIGN_KEY);
    }

    @Test
    void parsesAPubFileAndWritesItBackAsMinisignDoes() throws Exception {
        String file = "untrusted comment: minisign public key 3BA7CD2DAF2B2385\n" + MINISIGN_KEY + "\n";

        MinisignPublicKey key = MinisignPublicKey.parse(file);

        assertThat(key.toFileText()).isEqualTo(file);
        assertThat(key).isEqualTo(MinisignPublicKey.parse(MINISIGN_KEY));
    }

    /**
     * Regression: CI failed once because minisign 0.11 wrote {@code 4364F8BCE68E976} (no leading zero) in the comment
     * of a key whose id is {@code 04364F8BCE68E976}, and the interop test expected our zero-padded form back. Both
     * forms name the same key; we write the padded one, as minisign 0.12 does.
     */
    @Test
    void pubFileWhoseCommentDropsTheLeadingZeroOfTheKeyIdParses() throws Exception {
        String minisign011 = "untrusted comment: minisign public key 4364F8BCE68E976\n"
                + "RWR26WjOi082BKOfmA+GizekUIszENJrh3WblW7isc/CA2w0DPrH02RS\n";

        MinisignPublicKey key = MinisignPublicKey.parse(minisign011);

        assertThat(key.keyId()).isEqualTo(KeyId.parseHex("4364F8BCE68E976")).hasToString("04364F8BCE68E976");
        assertThat(key.toFileText()).isEqualTo("untrusted comment: minisign public key 04364F8BCE68E976\n"
                + "RWR26WjOi082BKOfmA+GizekUIszENJrh3WblW7isc/CA2w0DPrH02RS\n");
        assertThat(MinisignPublicKey.parse(key.toFileText())).isEqualTo(key);
    }

    @Test
    void keyBytesAreACopy() throws Exception {
        MinisignPublicKey key = MinisignPublicKey.parse(MINISIGN_KEY);
        key.keyBytes()[0] ^= 1;

        assertThat(key.encoded()).isEqualTo(MINISIGN_KEY);
        assertThat(key.keyBytes()).isEqualTo(Arrays.copyOfRange(Base64.getDecoder().decode(MINISIGN_KEY), 10, 42));
    }

    @Test
    void wrongLengthIsRefused() {
        byte[] raw = Arrays.copyOf(Base64.getDecoder().decode(MINISIGN_KEY), 43);

        assertRefused(Base64.getEncoder().encodeToString(raw), "public key decodes to 43 bytes, expected 42");
    }

    @Test
    void prehashedAlgorithmIdIsNotAPublicKeyAlgorithm() {
        byte[] raw = Base64.getDecoder().decode(MINISIGN_KEY);
        raw[1] = 'D';

        assertRefused(Base64.getEncoder().encodeToString(raw), "public key algorithm must be \"Ed\", found 0x4544");
    }

    @Test
    void extraPaddingIsRefused() {
        // 42 bytes encode to exactly 56 characters with no padding, so any "=" is one too many.
        assertRefused(MINISIGN_KEY + "=", "public key is not valid base64");
    }

    @Test
    void keyLineWrappedOverTwoLinesIsRefused() {
        assertRefused(MINISIGN_KEY.substring(0, 28) + "\n" + MINISIGN_KEY.substring(28) + "\n",
                "line 1 of public key file must start with \"untrusted comment: \"");
    }

    @Test
    void smallOrderPointIsRefused() {
        byte[] raw = Base64.getDecoder().decode(MINISIGN_KEY);
        Arrays.fill(raw, 10, 42, (byte) 0);
        raw[10] = 1; // the neutral element, encoded as y = 1

        assertRefused(Base64.getEncoder().encodeToString(raw),
                "public key 3BA7CD2DAF2B2385 is not a valid Ed25519 public key");
    }

    @Test
    void carriageReturnIsRefused() {
        assertRefused("untrusted comment: x\r\n" + MINISIGN_KEY + "\r\n",
                "public key file contains a carriage return; lines must end with a line feed only");
    }

    @Test
    void fileWithoutCommentPrefixIsRefused() {
        assertRefused("comment\n" + MINISIGN_KEY + "\n",
                "line 1 of public key file must start with \"untrusted comment: \"");
    }

    @Test
    void fileWithThreeLinesIsRefused() {
        assertRefused("untrusted comment: x\n" + MINISIGN_KEY + "\n\n",
                "public key file must have exactly 2 lines, found 3");
    }

    @Test
    void leadingWhitespaceIsRefused() {
        assertRefused(" " + MINISIGN_KEY, "public key is not valid base64");
    }

    private static void assertRefused(String text, String message) {
        assertThatThrownBy(() -> MinisignPublicKey.parse(text))
                .isInstanceOf(SignatureFormatException.class)
                .hasMessage(message);
    }
}
