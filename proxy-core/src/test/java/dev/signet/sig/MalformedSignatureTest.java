package dev.signet.sig;

import static dev.signet.sig.Fixtures.FILE_NAME;
import static dev.signet.sig.Fixtures.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every way a {@code .minisig} file is refused before any signature is checked: one test each. */
class MalformedSignatureTest {

    private final MinisignKeyPair pair = Fixtures.newKeyPair();
    private final Keyring keyring = Fixtures.keyring(pair);
    private final byte[] valid = Fixtures.signatureFile(pair, Fixtures.artifact(10));
    private final String[] lines = Fixtures.lines(valid);

    @Test
    void validFileParses() throws Exception {
        MinisignSignature signature = MinisignSignature.parse(valid);

        assertThat(signature.algorithm()).isEqualTo(SignatureAlgorithm.PREHASHED);
        assertThat(signature.keyId()).isEqualTo(pair.publicKey().keyId());
        assertThat(signature.trustedFileName()).contains(FILE_NAME);
        assertThat(signature.encode()).isEqualTo(valid);
    }

    @Test
    void missingFinalNewlineIsAccepted() throws Exception {
        byte[] withoutNewline = Arrays.copyOf(valid, valid.length - 1);

        assertThat(MinisignSignature.parse(withoutNewline).encode()).isEqualTo(valid);
    }

    @Test
    void fileOver16KiBIsRefused() {
        byte[] big = new byte[16 * 1024 + 1];
        Arrays.fill(big, (byte) 'a');

        assertMalformed(big, "signature file is 16385 bytes, the limit is 16384 (16 KiB)");
    }

    @Test
    void threeLinesAreRefused() {
        assertMalformed(Fixtures.join(lines[0], lines[1], lines[2]), "signature file must have exactly 4 lines, found 3");
    }

    @Test
    void fiveLinesAreRefused() {
        assertMalformed(Fixtures.join(lines[0], lines[1], lines[2], lines[3], "extra"),
                "signature file must have exactly 4 lines, found 5");
    }

    @Test
    void blankLineAfterTheLastLineIsRefused() {
        byte[] twoNewlines = Arrays.copyOf(valid, valid.length + 1);
        twoNewlines[valid.length] = '\n';

        assertMalformed(twoNewlines, "signature file must have exactly 4 lines, found 5");
    }

    @Test
    void carriageReturnIsRefused() {
        byte[] crlf = new String(valid, StandardCharsets.UTF_8).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);

        assertMalformed(crlf, "signature file contains a carriage return; lines must end with a line feed only");
    }

    @Test
    void missingUntrustedCommentPrefixIsRefused() {
        assertMalformed(Fixtures.join("comment: x", lines[1], lines[2], lines[3]),
                "line 1 (untrusted comment) must start with \"untrusted comment: \"");
    }

    @Test
    void missingTrustedCommentPrefixIsRefused() {
        assertMalformed(Fixtures.join(lines[0], lines[1], lines[2].replace("trusted comment: ", "trusted comment:"), lines[3]),
                "line 3 (trusted comment) must start with \"trusted comment: \"");
    }

    @Test
    void signatureLineOfWrongLengthIsRefused() {
        byte[] raw = Base64.getDecoder().decode(lines[1]);

        assertMalformed(Fixtures.join(lines[0], b64(Arrays.copyOf(raw, 73)), lines[2], lines[3]),
                "line 2 (signature) decodes to 73 bytes, expected 74");
    }

    @Test
    void globalSignatureOfWrongLengthIsRefused() {
        byte[] raw = Base64.getDecoder().decode(lines[3]);

        assertMalformed(Fixtures.join(lines[0], lines[1], lines[2], b64(Arrays.copyOf(raw, 65))),
                "line 4 (global signature) decodes to 65 bytes, expected 64");
    }

    @Test
    void signatureLineWithoutPaddingIsRefused() {
        assertThat(lines[1]).endsWith("=");

        assertMalformed(Fixtures.join(lines[0], lines[1].replace("=", ""), lines[2], lines[3]),
                "line 2 (signature) is not canonical base64");
    }

    @Test
    void globalSignatureWithNonZeroUnusedBitsIsRefused() {
        // 64 bytes encode as 86 characters and "==": the last character carries 2 data bits and 4 unused bits.
        char last = lines[3].charAt(85);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        char withUnusedBit = alphabet.charAt(alphabet.indexOf(last) | 1);
        String altered = lines[3].substring(0, 85) + withUnusedBit + "==";
        assertThat(Base64.getDecoder().decode(altered)).isEqualTo(Base64.getDecoder().decode(lines[3]));

        assertMalformed(Fixtures.join(lines[0], lines[1], lines[2], altered),
                "line 4 (global signature) is not canonical base64");
    }

    @Test
    void whitespaceInsideBase64IsRefused() {
        String withSpace = lines[1].substring(0, 50) + " " + lines[1].substring(50);

        assertMalformed(Fixtures.join(lines[0], withSpace, lines[2], lines[3]), "line 2 (signature) is not valid base64");
    }

    @Test
    void trailingSpaceAfterBase64IsRefused() {
        assertMalformed(Fixtures.join(lines[0], lines[1], lines[2], lines[3] + " "),
                "line 4 (global signature) is not valid base64");
    }

    @Test
    void unknownAlgorithmIsRefused() {
        byte[] raw = Base64.getDecoder().decode(lines[1]);
        raw[0] = 'S';
        raw[1] = 'm';

        assertMalformed(Fixtures.join(lines[0], b64(raw), lines[2], lines[3]),
                "unknown signature algorithm 0x536D, expected \"ED\" (prehashed) or \"Ed\" (legacy)");
    }

    @Test
    void controlCharacterInTrustedCommentIsRefused() {
        assertMalformed(Fixtures.join(lines[0], lines[1], "trusted comment: file:a\u001b[2Jb", lines[3]),
                "trusted comment contains non-printable character U+001B at index 6");
    }

    @Test
    void deleteCharacterInTrustedCommentIsRefused() {
        assertMalformed(Fixtures.join(lines[0], lines[1], "trusted comment: ab\u007f", lines[3]),
                "trusted comment contains non-printable character U+007F at index 2");
    }

    @Test
    void bidiOverrideInTrustedCommentIsRefused() {
        assertMalformed(Fixtures.join(lines[0], lines[1], "trusted comment: file:x\u202ely.whl", lines[3]),
                "trusted comment contains non-printable character U+202E at index 6");
    }

    @Test
    void invalidUtf8InTrustedCommentIsRefused() {
        byte[] head = Fixtures.join(lines[0], lines[1]);
        byte[] comment = {'t', 'r', 'u', 's', 't', 'e', 'd', ' ', 'c', 'o', 'm', 'm', 'e', 'n', 't', ':', ' ',
            (byte) 0xC3, (byte) 0x28, '\n'};
        byte[] tail = Fixtures.join(lines[3]);

        assertMalformed(concat(head, comment, tail), "line 3 (trusted comment) is not valid UTF-8");
    }

    @Test
    void trustedCommentOver1024BytesIsRefused() {
        // 513 two-byte characters: 513 characters but 1026 bytes.
        assertMalformed(Fixtures.join(lines[0], lines[1], "trusted comment: " + "é".repeat(513), lines[3]),
                "trusted comment is 1026 bytes, the limit is 1024");
    }

    @Test
    void trustedCommentOf1024BytesIsAccepted() throws Exception {
        String comment = "file:" + FILE_NAME + "\t" + "é".repeat((1024 - 6 - FILE_NAME.length()) / 2);
        comment += "x".repeat(1024 - comment.getBytes(StandardCharsets.UTF_8).length);
        byte[] data = Fixtures.artifact(5);
        byte[] file = Fixtures.sign(pair, data, comment).encode();

        ArtifactVerification verification = keyring.begin(PROJECT, FILE_NAME, file);
        verification.update(data, 0, data.length);

        assertThat(verification.finish().trustedComment()).isEqualTo(comment).hasSize(comment.length());
        assertThat(comment.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
    }

    @Test
    void twoFileFieldsAreRefused() {
        assertMalformed(Fixtures.join(lines[0], lines[1], "trusted comment: file:a.whl\tfile:b.whl", lines[3]),
                "trusted comment has more than one file: field");
    }

    @Test
    void tabsInTrustedCommentAreAccepted() throws Exception {
        MinisignSignature parsed = MinisignSignature.parse(
                Fixtures.join(lines[0], lines[1], "trusted comment: timestamp:1\tfile:x y.whl\thashed", lines[3]));

        assertThat(parsed.trustedFileName()).contains("x y.whl");
    }

    private void assertMalformed(byte[] file, String detail) {
        assertThatThrownBy(() -> MinisignSignature.parse(file))
                .isInstanceOf(SignatureFormatException.class)
                .hasMessage(detail);
        assertThatThrownBy(() -> keyring.begin(PROJECT, FILE_NAME, file))
                .isInstanceOfSatisfying(VerificationException.class, e -> {
                    assertThat(e.failure()).isEqualTo(VerificationFailure.MALFORMED_SIGNATURE);
                    assertThat(e.fileName()).isEqualTo(FILE_NAME);
                })
                .hasMessage("refused " + FILE_NAME + ": malformed signature (" + detail + ")");
    }

    private static String b64(byte[] raw) {
        return Base64.getEncoder().encodeToString(raw);
    }

    private static byte[] concat(byte[]... parts) {
        List<byte[]> list = List.of(parts);
        int length = list.stream().mapToInt(p -> p.length).sum();
        byte[] out = new byte[length];
        int offset = 0;
        for (byte[] part : list) {
            System.arraycopy(part, 0, out, offset, part.length);
            offset += part.length;
        }
        return out;
    }
}
