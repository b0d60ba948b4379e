package dev.signet.store;

import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How an artifact was verified, stored next to it. The store does not interpret these values
 * beyond checking their shape; the verifier that wrote them decides what they mean.
 *
 * @param sha256Hex        SHA-256 of the artifact bytes, 64 lowercase hex digits
 * @param length           artifact length in bytes; must equal the bytes written by the fill
 * @param keyId            id of the key whose signature verified, printable ASCII without spaces
 * @param signatureFile    raw bytes of the detached signature file (copied in and out)
 * @param verifiedAtMillis when the verification happened, milliseconds since the epoch
 */
public record ArtifactRecord(String sha256Hex, long length, String keyId, byte[] signatureFile, long verifiedAtMillis) {

    /** Four times the 16 KiB cap on minisign files: bounds the sidecar size without second-guessing the verifier. */
    public static final int MAX_SIGNATURE_FILE_BYTES = 64 * 1024;

    static final int MAX_KEY_ID_LENGTH = 64;

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern KEY_ID = Pattern.compile("[\\x21-\\x7e]{1," + MAX_KEY_ID_LENGTH + "}");

    public ArtifactRecord {
        Objects.requireNonNull(sha256Hex, "sha256Hex");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(signatureFile, "signatureFile");
        if (!SHA256_HEX.matcher(sha256Hex).matches()) {
            throw new IllegalArgumentException("sha256Hex must be 64 lowercase hex digits: "
                    + ArtifactKey.printable(sha256Hex));
        }
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("keyId must be 1 to " + MAX_KEY_ID_LENGTH
                    + " printable ASCII characters without spaces: " + ArtifactKey.printable(keyId));
        }
        if (signatureFile.length > MAX_SIGNATURE_FILE_BYTES) {
            throw new IllegalArgumentException("signatureFile is " + signatureFile.length + " bytes, more than "
                    + MAX_SIGNATURE_FILE_BYTES);
        }
        if (verifiedAtMillis < 0) {
            throw new IllegalArgumentException("verifiedAtMillis must not be negative: " + verifiedAtMillis);
        }
        signatureFile = signatureFile.clone();
    }

    /** A copy of the signature file bytes: the record stays immutable. */
    @Override
    public byte[] signatureFile() {
        return signatureFile.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArtifactRecord r
                && length == r.length
                && verifiedAtMillis == r.verifiedAtMillis
                && sha256Hex.equals(r.sha256Hex)
                && keyId.equals(r.keyId)
                && Arrays.equals(signatureFile, r.signatureFile);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sha256Hex, length, keyId, Arrays.hashCode(signatureFile), verifiedAtMillis);
    }

    @Override
    public String toString() {
        return "ArtifactRecord[sha256=" + sha256Hex + ", length=" + length + ", keyId=" + keyId
                + ", signatureFile=" + signatureFile.length + " bytes"
                + ", verifiedAtMillis=" + verifiedAtMillis + "]";
    }
}
