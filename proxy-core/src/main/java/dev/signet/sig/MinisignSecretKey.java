package dev.signet.sig;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A minisign secret key file: {@code base64(sig_alg "Ed" || kdf_alg || chk_alg "B2" || salt(32) || opslimit(8 LE)
 * || memlimit(8 LE) || keyid(8) || sk(64) || chk(32))}. kdf_alg is {@code Sc} when the last 104 bytes are XORed
 * with scrypt(password), or two zero bytes for a key written with {@code minisign -W}. chk is BLAKE2b-256 of
 * {@code "Ed" || keyid || sk}, which is how a wrong password is detected; minisign leaves it zero in unencrypted
 * keys.
 */
public final class MinisignSecretKey {

    private static final int SALT_BYTES = 32;
    private static final int CHECKSUM_BYTES = 32;
    private static final int SECRET_BYTES = Ed25519.SECRET_KEY_SIZE + Ed25519.PUBLIC_KEY_SIZE;
    private static final int KEYNUM_BYTES = KeyId.BYTES + SECRET_BYTES + CHECKSUM_BYTES;
    private static final int SALT_OFFSET = 6;
    private static final int OPSLIMIT_OFFSET = SALT_OFFSET + SALT_BYTES;
    private static final int MEMLIMIT_OFFSET = OPSLIMIT_OFFSET + 8;
    private static final int KEYNUM_OFFSET = MEMLIMIT_OFFSET + 8;
    private static final int ENCODED_BYTES = KEYNUM_OFFSET + KEYNUM_BYTES;
    private static final int MAX_TEXT_CHARS = 4096;
    static final String WRONG_PASSWORD = "wrong password or corrupt key (checksum mismatch)";

    private final KeyId keyId;
    /** Ed25519 seed (32) followed by the public key (32), as libsodium lays out a secret key. */
    private final byte[] secret;
    private final MinisignPublicKey publicKey;

    private MinisignSecretKey(KeyId keyId, byte[] secret, MinisignPublicKey publicKey) {
        this.keyId = keyId;
        this.secret = secret;
        this.publicKey = publicKey;
    }

    /**
     * Reads a secret key file. {@code passwordOrNull} is needed only for encrypted keys and ignored otherwise; it
     * is not wiped (the caller owns it).
     */
    public static MinisignSecretKey parse(String fileText, char[] passwordOrNull) throws SignatureFormatException {
        byte[] raw = decodeFile(fileText);
        byte[] keynum = Arrays.copyOfRange(raw, KEYNUM_OFFSET, ENCODED_BYTES);
        try {
            boolean encrypted = isEncrypted(raw);
            if (encrypted) {
                if (passwordOrNull == null) {
                    throw new SignatureFormatException("secret key is encrypted; a password is required");
                }
                byte[] stream = keystream(passwordOrNull, Arrays.copyOfRange(raw, SALT_OFFSET, OPSLIMIT_OFFSET),
                        LittleEndian.readLong(raw, OPSLIMIT_OFFSET), LittleEndian.readLong(raw, MEMLIMIT_OFFSET));
                xor(keynum, stream);
                Arrays.fill(stream, (byte) 0);
            }
            KeyId keyId = KeyId.fromBytes(keynum, 0);
            byte[] secret = Arrays.copyOfRange(keynum, KeyId.BYTES, KeyId.BYTES + SECRET_BYTES);
            byte[] stored = Arrays.copyOfRange(keynum, KeyId.BYTES + SECRET_BYTES, KEYNUM_BYTES);
            // minisign -W writes an all-zero checksum for unencrypted keys and never checks it; other tools
            // write a real one. An encrypted key must carry the real one: it is how a wrong password shows.
            boolean unchecked = !encrypted && isAllZero(stored);
            if (!unchecked && !org.bouncycastle.util.Arrays.constantTimeAreEqual(checksum(keyId, secret), stored)) {
                Arrays.fill(secret, (byte) 0);
                throw new SignatureFormatException(
                        encrypted ? WRONG_PASSWORD : "secret key is corrupt (checksum mismatch)");
            }
            return fromParts(keyId, secret);
        } finally {
            Arrays.fill(keynum, (byte) 0);
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** Whether the key file is password-protected (kdf_alg {@code Sc}). */
    public static boolean isEncrypted(String fileText) throws SignatureFormatException {
        return isEncrypted(decodeFile(fileText));
    }

    /** Builds a key from its id and the 64-byte seed-then-public-key array, which it takes ownership of. */
    static MinisignSecretKey fromParts(KeyId keyId, byte[] secret) throws SignatureFormatException {
        byte[] derived = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(secret, 0, derived, 0);
        if (!org.bouncycastle.util.Arrays.constantTimeAreEqual(Ed25519.PUBLIC_KEY_SIZE, derived, 0, secret,
                Ed25519.SECRET_KEY_SIZE)) {
            throw new SignatureFormatException("secret key is inconsistent: its public half does not match its seed");
        }
        return new MinisignSecretKey(keyId, secret, MinisignPublicKey.fromParts(keyId, derived));
    }

    private static byte[] decodeFile(String fileText) throws SignatureFormatException {
        Objects.requireNonNull(fileText, "fileText");
        if (fileText.length() > MAX_TEXT_CHARS) {
            throw new SignatureFormatException("secret key text is longer than " + MAX_TEXT_CHARS + " characters");
        }
        byte[][] lines = Lines.split(fileText.getBytes(StandardCharsets.UTF_8), 2, "secret key file");
        Lines.afterPrefix(Lines.utf8(lines[0], "line 1 of secret key file"),
                MinisignPublicKey.UNTRUSTED_COMMENT_PREFIX, "line 1 of secret key file");
        byte[] raw = StrictBase64.decode(Lines.utf8(lines[1], "secret key"), ENCODED_BYTES, "secret key");
        requireCode(raw, 0, 'E', 'd', "secret key signature algorithm must be \"Ed\"");
        if (!isEncrypted(raw) && !(raw[2] == 0 && raw[3] == 0)) {
            requireCode(raw, 2, 'S', 'c', "secret key derivation function must be \"Sc\" (scrypt) or none");
        }
        requireCode(raw, 4, 'B', '2', "secret key checksum algorithm must be \"B2\" (BLAKE2b)");
        return raw;
    }

    private static boolean isAllZero(byte[] bytes) {
        int accumulated = 0;
        for (byte b : bytes) {
            accumulated |= b;
        }
        return accumulated == 0;
    }

    private static boolean isEncrypted(byte[] raw) {
        return raw[2] == 'S' && raw[3] == 'c';
    }

    private static void requireCode(byte[] raw, int offset, char first, char second, String message)
            throws SignatureFormatException {
        if (raw[offset] != first || raw[offset + 1] != second) {
            throw new SignatureFormatException(String.format(Locale.ROOT, "%s, found 0x%02X%02X", message,
                    raw[offset] & 0xFF, raw[offset + 1] & 0xFF));
        }
    }

    /** The file text with the key unencrypted ({@code null} password) or encrypted with minisign's scrypt limits. */
    public String toFileText(char[] passwordOrNull) {
        return toFileText(passwordOrNull, ScryptKdf.MINISIGN_OPSLIMIT, ScryptKdf.MINISIGN_MEMLIMIT,
                new SecureRandom());
    }

    /** As {@link #toFileText(char[])} with chosen scrypt limits (tests use small ones; minisign's need 1 GiB). */
    String toFileText(char[] passwordOrNull, long opsLimit, long memLimit, SecureRandom random) {
        byte[] raw = new byte[ENCODED_BYTES];
        raw[0] = 'E';
        raw[1] = 'd';
        raw[4] = 'B';
        raw[5] = '2';
        keyId.writeBytes(raw, KEYNUM_OFFSET);
        System.arraycopy(secret, 0, raw, KEYNUM_OFFSET + KeyId.BYTES, SECRET_BYTES);
        String comment;
        if (passwordOrNull == null) {
            // As minisign -W: kdf_alg, salt, limits and checksum all zero.
            comment = "signet unencrypted secret key";
        } else {
            byte[] chk = checksum(keyId, secret);
            System.arraycopy(chk, 0, raw, KEYNUM_OFFSET + KeyId.BYTES + SECRET_BYTES, CHECKSUM_BYTES);
            raw[2] = 'S';
            raw[3] = 'c';
            byte[] salt = new byte[SALT_BYTES];
            random.nextBytes(salt);
            System.arraycopy(salt, 0, raw, SALT_OFFSET, SALT_BYTES);
            LittleEndian.writeLong(raw, OPSLIMIT_OFFSET, opsLimit);
            LittleEndian.writeLong(raw, MEMLIMIT_OFFSET, memLimit);
            byte[] stream;
            try {
                stream = keystream(passwordOrNull, salt, opsLimit, memLimit);
            } catch (SignatureFormatException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            byte[] keynum = Arrays.copyOfRange(raw, KEYNUM_OFFSET, ENCODED_BYTES);
            xor(keynum, stream);
            System.arraycopy(keynum, 0, raw, KEYNUM_OFFSET, KEYNUM_BYTES);
            Arrays.fill(keynum, (byte) 0);
            Arrays.fill(stream, (byte) 0);
            comment = "signet encrypted secret key";
        }
        String text = MinisignPublicKey.UNTRUSTED_COMMENT_PREFIX + comment + "\n" + StrictBase64.encode(raw) + "\n";
        Arrays.fill(raw, (byte) 0);
        return text;
    }

    public KeyId keyId() {
        return keyId;
    }

    public MinisignPublicKey publicKey() {
        return publicKey;
    }

    /** Pure Ed25519 signature of {@code message}. */
    byte[] sign(byte[] message) {
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(secret, 0, secret, Ed25519.SECRET_KEY_SIZE, message, 0, message.length, signature, 0);
        return signature;
    }

    @Override
    public String toString() {
        return "minisign secret key " + keyId;
    }

    private static byte[] checksum(KeyId keyId, byte[] secret) {
        Blake2bDigest digest = new Blake2bDigest(CHECKSUM_BYTES * 8);
        byte[] head = new byte[2 + KeyId.BYTES];
        head[0] = 'E';
        head[1] = 'd';
        keyId.writeBytes(head, 2);
        digest.update(head, 0, head.length);
        digest.update(secret, 0, secret.length);
        byte[] out = new byte[CHECKSUM_BYTES];
        digest.doFinal(out, 0);
        return out;
    }

    private static byte[] keystream(char[] password, byte[] salt, long opsLimit, long memLimit)
            throws SignatureFormatException {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] passwordBytes = new byte[encoded.remaining()];
        encoded.get(passwordBytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        try {
            return ScryptKdf.derive(passwordBytes, salt, opsLimit, memLimit, KEYNUM_BYTES);
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
        }
    }

    private static void xor(byte[] target, byte[] stream) {
        for (int i = 0; i < target.length; i++) {
            target[i] ^= stream[i];
        }
    }
}
