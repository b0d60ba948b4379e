package dev.signet.sig;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits minisign's line-oriented files strictly: {@code \n} separators only, one optional final {@code \n},
 * an exact number of lines. minisign itself trims stray whitespace with {@code fgets}; we do not, so that two
 * different byte strings never mean the same signature.
 */
final class Lines {

    private Lines() {}

    static byte[][] split(byte[] data, int expectedLines, String what) throws SignatureFormatException {
        for (byte b : data) {
            if (b == '\r') {
                throw new SignatureFormatException(what + " contains a carriage return; lines must end with a line feed only");
            }
        }
        int end = data.length;
        if (end > 0 && data[end - 1] == '\n') {
            end--;
        }
        int found = 1;
        for (int i = 0; i < end; i++) {
            if (data[i] == '\n') {
                found++;
            }
        }
        if (found != expectedLines) {
            throw new SignatureFormatException(
                    what + " must have exactly " + expectedLines + (expectedLines == 1 ? " line" : " lines")
                            + ", found " + found);
        }
        byte[][] lines = new byte[expectedLines][];
        int start = 0;
        int index = 0;
        for (int i = 0; i <= end; i++) {
            if (i == end || data[i] == '\n') {
                lines[index++] = Arrays.copyOfRange(data, start, i);
                start = i + 1;
            }
        }
        return lines;
    }

    /** Decodes UTF-8, refusing malformed sequences instead of replacing them. */
    static String utf8(byte[] line, String what) throws SignatureFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SignatureFormatException(what + " is not valid UTF-8");
        }
    }

    /** Returns the text after {@code prefix}, or fails naming the line and the prefix it lacks. */
    static String afterPrefix(String line, String prefix, String what) throws SignatureFormatException {
        if (!line.startsWith(prefix)) {
            throw new SignatureFormatException(what + " must start with \"" + prefix + "\"");
        }
        return line.substring(prefix.length());
    }
}
