package dev.signet.server.shared;

import dev.signet.sig.VerificationException;
import dev.signet.sig.VerificationFailure;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The signature travels with its object, as user metadata ({@code x-amz-meta-signet-signature}, base64 of the
 * {@code .minisig} file as the upstream published it), so one GET brings both and no second object can drift from the
 * first. It is read as untrusted input: the keyring parses and checks it exactly as it does the upstream's.
 */
final class SignatureMetadata {

    static final String SIGNATURE = "signet-signature";
    /** S3 allows 2KiB of user metadata per object; minisign files are about 300 bytes. */
    static final int MAX_ENCODED = 1800;

    private SignatureMetadata() {
    }

    /** The metadata of an upload, or empty when the signature is too large for object metadata (not uploaded). */
    static Optional<Map<String, String>> of(byte[] signature) {
        String encoded = Base64.getEncoder().encodeToString(signature);
        return encoded.length() > MAX_ENCODED ? Optional.empty() : Optional.of(Map.of(SIGNATURE, encoded));
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
