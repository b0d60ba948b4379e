package dev.signet.sig;

/**
 * A verified artifact.
 *
 * @param keyId the key that signed it
 * @param algorithm how it was signed
 * @param trustedComment the signed comment (printable; may contain tabs)
 * @param length the number of artifact bytes that were verified
 */
public record VerificationResult(KeyId keyId, SignatureAlgorithm algorithm, String trustedComment, long length) {}
