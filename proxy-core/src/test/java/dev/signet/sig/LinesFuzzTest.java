package dev.signet.sig;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The line splitter under every minisign parser: it returns exactly the lines asked for, none containing a line feed,
 * that join back to the input (less one final line feed), or throws {@link SignatureFormatException}; UTF-8 decoding
 * returns text that encodes back to the same bytes, or refuses.
 */
class LinesFuzzTest {

    /** Input: one byte choosing how many lines to expect (1 to 6), then the bytes to split. */
    @FuzzTest
    void splitAndDecodeAreExactOrRefuse(byte[] fuzz) {
        if (fuzz.length == 0) {
            return;
        }
        int expected = 1 + (fuzz[0] & 0xff) % 6;
        byte[] input = java.util.Arrays.copyOfRange(fuzz, 1, fuzz.length);
        byte[][] lines;
        try {
            lines = Lines.split(input, expected, "input");
        } catch (SignatureFormatException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("\n");
            return;
        }
        assertThat(lines.length).isEqualTo(expected);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < lines.length; i++) {
            assertThat(lines[i]).doesNotContain((byte) '\n', (byte) '\r');
            if (i > 0) {
                joined.write('\n');
            }
            joined.writeBytes(lines[i]);
            try {
                String text = Lines.utf8(lines[i], "line");
                assertThat(text.getBytes(StandardCharsets.UTF_8)).isEqualTo(lines[i]);
            } catch (SignatureFormatException refused) {
                assertThat(refused.getMessage()).isNotBlank();
            }
        }
        byte[] withoutFinalNewline = input.length > 0 && input[input.length - 1] == '\n'
                ? java.util.Arrays.copyOf(input, input.length - 1) : input;
        assertThat(joined.toByteArray()).isEqualTo(withoutFinalNewline);
    }
}
