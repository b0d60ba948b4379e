package dev.signet.server.shared;

import dev.signet.sig.VerificationException;
import dev.signet.sig.VerificationFailure;
import java.util.Base64;
import java.util.Map;

/**
 * Where an object's signature travels. Usually in the object's user metadata ({@code x-amz-meta-signet-signature},
 * base64 of the {@code .minisig} file as the upstream published it), so one GET brings both and no second object can
 * drift from the first. S3 allows only 2 KiB of user metadata, so a larger signature (a long trusted comment) goes in a
 * sidecar object of its own ({@link ObjectKeys#signatureOf}), written before the artifact, and the artifact's metadata
 * says so ({@code x-amz-meta-signet-signature-sidecar: minisig}). Either way it is read as untrusted input: the keyring
 * parses and checks it exactly as it does the upstream's, so a swapped or tampered sidecar is refused like a bad
 * signature.
 */
final class SignatureMetadata {

    static final String SIGNATURE = "signet-signature";
    static final String SIDECAR = "signet-signature-sidecar";
    static final String SIDECAR_FORMAT = "minisig";
    /** S3 allows 2KiB of user metadata per object; minisign files are about 300 bytes. */
    static final int MAX_ENCODED = 1800;

    private SignatureMetadata() {
    }

    /** How one upload carries {@code signature}: the artifact's metadata, and the sidecar's bytes or {@code null}. */
    record Placement(Map<String, String> metadata, byte[] sidecar) {}

    static Placement of(byte[] signature) {
        String encoded = Base64.getEncoder().encodeToString(signature);
        return encoded.length() > MAX_ENCODED ? new Placement(Map.of(SIDECAR, SIDECAR_FORMAT), signature)
                : new Placement(Map.of(SIGNATURE, encoded), null);
    }

    /** Whether a downloaded object's signature is in its sidecar rather than in its metadata. */
    static boolean inSidecar(Map<String, String> metadata) {
        return !metadata.containsKey(SIGNATURE) && SIDECAR_FORMAT.equals(metadata.get(SIDECAR));
    }

    /** The signature file of a downloaded object; a missing or undecodable one is refused like a missing signature. */
    static byte[] signature(Map<String, String> metadata, String fileName) throws VerificationException {
        String encoded = metadata.get(SIGNATURE);
        if (encoded == null) {
            throw new VerificationException(VerificationFailure.MISSING_SIGNATURE, fileName,
                    "the shared store's object carries no signature");
        }
        try {
            return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new VerificationException(VerificationFailure.MALFORMED_SIGNATURE, fileName,
                    "the shared store's object carries a signature that is not base64");
        }
    }
}
