package dev.signet.sig;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A minisign public key: {@code base64("Ed" || keyid(8) || pk(32))}, the {@code RW...} string minisign prints.
 * Immutable; equal when the encoded keys are equal.
 */
public final class MinisignPublicKey {

    static final int ENCODED_BYTES = 2 + KeyId.BYTES + Ed25519.PUBLIC_KEY_SIZE;
    static final String UNTRUSTED_COMMENT_PREFIX = "untrusted comment: ";
    /** Generous bound for a {@code .pub} file: a comment line plus a 56-character key line. */
    private static final int MAX_TEXT_CHARS = 4096;

    private final KeyId keyId;
    private final byte[] publicKey;
    private final Ed25519.PublicPoint point;
    private final String encoded;

    private MinisignPublicKey(KeyId keyId, byte[] publicKey, Ed25519.PublicPoint point) {
        this.keyId = keyId;
        this.publicKey = publicKey;
        this.point = point;
        byte[] raw = new byte[ENCODED_BYTES];
        raw[0] = 'E';
        raw[1] = 'd';
        keyId.writeBytes(raw, 2);
        System.arraycopy(publicKey, 0, raw, 2 + KeyId.BYTES, Ed25519.PUBLIC_KEY_SIZE);
        this.encoded = StrictBase64.encode(raw);
    }

    /**
     * Parses either a bare key line ({@code RW...}, optionally followed by one {@code \n}) or the whole text of a
     * {@code .pub} file ({@code untrusted comment: ...} line, then the key line).
     */
    public static MinisignPublicKey parse(String text) throws SignatureFormatException {
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_TEXT_CHARS) {
            throw new SignatureFormatException("public key text is longer than " + MAX_TEXT_CHARS + " characters");
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String keyLine;
        if (text.indexOf('\n') >= 0 && text.indexOf('\n') < text.length() - 1) {
            byte[][] lines = Lines.split(bytes, 2, "public key file");
            Lines.afterPrefix(Lines.utf8(lines[0], "line 1 of public key file"), UNTRUSTED_COMMENT_PREFIX,
                    "line 1 of public key file");
            keyLine = Lines.utf8(lines[1], "public key");
        } else {
            keyLine = Lines.utf8(Lines.split(bytes, 1, "public key")[0], "public key");
        }
        byte[] raw = StrictBase64.decode(keyLine, ENCODED_BYTES, "public key");
        if (raw[0] != 'E' || raw[1] != 'd') {
            throw new SignatureFormatException(String.format(Locale.ROOT,
                    "public key algorithm must be \"Ed\", found 0x%02X%02X", raw[0] & 0xFF, raw[1] & 0xFF));
        }
        return fromParts(KeyId.fromBytes(raw, 2), Arrays.copyOfRange(raw, 2 + KeyId.BYTES, ENCODED_BYTES));
    }

    /** Builds a key from its id and 32-byte Ed25519 key, refusing points a strict verifier would refuse. */
    static MinisignPublicKey fromParts(KeyId keyId, byte[] publicKey) throws SignatureFormatException {
        Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(publicKey, 0);
        if (point == null) {
            throw new SignatureFormatException("public key " + keyId + " is not a valid Ed25519 public key");
        }
        return new MinisignPublicKey(keyId, publicKey.clone(), point);
    }

    public KeyId keyId() {
        return keyId;
    }

    /** The 32-byte Ed25519 public key (a copy). */
    public byte[] keyBytes() {
        return publicKey.clone();
    }

    /** The {@code RW...} line, as minisign prints it and accepts with {@code -P}. */
    public String encoded() {
        return encoded;
    }

    /**
     * The text of a {@code .pub} file as {@code minisign -G} 0.12 writes it (key id zero-padded to 16 digits; 0.11
     * drops leading zeros, which {@link #parse} accepts too: the comment is untrusted and only informative).
     */
    public String toFileText() {
        return UNTRUSTED_COMMENT_PREFIX + "minisign public key " + keyId + "\n" + encoded + "\n";
    }

    /** Pure Ed25519 verification (BC's strict, cofactored check) of {@code message[offset, offset+length)}. */
    boolean verify(byte[] signature, byte[] message, int offset, int length) {
        return Ed25519.verify(signature, 0, point, message, offset, length);
    }

    boolean sameKeyAs(MinisignPublicKey other) {
        return encoded.equals(other.encoded);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MinisignPublicKey && sameKeyAs((MinisignPublicKey) other);
    }

    @Override
    public int hashCode() {
        return encoded.hashCode();
    }

    @Override
    public String toString() {
        return "minisign public key " + keyId + " " + encoded;
    }
}
