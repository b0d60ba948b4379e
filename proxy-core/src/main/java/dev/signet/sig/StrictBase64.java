package dev.signet.sig;

import java.util.Base64;

/**
 * Base64 (standard alphabet, padded) that accepts only the one canonical spelling of each byte string: no
 * whitespace, exact padding, zero unused bits. Anything else could let one signature have many encodings.
 */
final class StrictBase64 {

    private StrictBase64() {}

    static byte[] decode(String text, int expectedLength, String what) throws SignatureFormatException {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new SignatureFormatException(what + " is not valid base64");
        }
        // The JDK decoder tolerates missing padding and non-zero unused bits; re-encoding exposes both.
        if (!Base64.getEncoder().encodeToString(decoded).equals(text)) {
            throw new SignatureFormatException(what + " is not canonical base64");
        }
        if (decoded.length != expectedLength) {
            throw new SignatureFormatException(
                    what + " decodes to " + decoded.length + " bytes, expected " + expectedLength);
        }
        return decoded;
    }

    static String encode(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }
}
