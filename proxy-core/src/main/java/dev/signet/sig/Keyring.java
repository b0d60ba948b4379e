package dev.signet.sig;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The keys an operator trusts, the key ids they revoked and the {@code file:} policy. Checks everything about a
 * signature that does not need the artifact's bytes, then hands out an {@link ArtifactVerification} to stream
 * them through. Immutable and thread-safe.
 */
public final class Keyring {

    private final List<TrustedKey> keys;
    private final Set<KeyId> revoked;
    private final FileNamePolicy policy;

    /**
     * @throws IllegalArgumentException if two different public keys share a key id (signatures name keys by id
     *     only, so such a keyring would be ambiguous)
     */
    public Keyring(List<TrustedKey> keys, Set<KeyId> revoked, FileNamePolicy policy) {
        this.keys = List.copyOf(Objects.requireNonNull(keys, "keys"));
        this.revoked = Set.copyOf(Objects.requireNonNull(revoked, "revoked"));
        this.policy = Objects.requireNonNull(policy, "policy");
        Map<KeyId, MinisignPublicKey> byId = new HashMap<>();
        for (TrustedKey trusted : this.keys) {
            MinisignPublicKey previous = byId.putIfAbsent(trusted.key().keyId(), trusted.key());
            if (previous != null && !previous.sameKeyAs(trusted.key())) {
                throw new IllegalArgumentException("two different public keys have key id " + trusted.key().keyId());
            }
        }
    }

    public List<TrustedKey> keys() {
        return keys;
    }

    public Set<KeyId> revoked() {
        return revoked;
    }

    public FileNamePolicy fileNamePolicy() {
        return policy;
    }

    /** As {@link #begin(String, String, byte[], long)} with the artifact's length unknown. */
    public ArtifactVerification begin(String normalizedProject, String fileName, byte[] signatureFileBytes)
            throws VerificationException {
        return begin(normalizedProject, fileName, signatureFileBytes, -1);
    }

    /**
     * Parses the signature and checks, in order: key not revoked, key known, key allowed for the project,
     * algorithm allowed (legacy only if the key allows it and {@code declaredLength} fits its cap), the global
     * signature over the trusted comment, and the {@code file:} field against {@code fileName}.
     *
     * @param normalizedProject PEP 503 normalized project name
     * @param fileName the artifact's file name as requested, compared exactly with the signed {@code file:}
     * @param signatureFileBytes the {@code .minisig} file, or {@code null} if the upstream has none
     * @param declaredLength the artifact's length if known in advance (Content-Length, index {@code size}), else -1
     * @return the verification to feed the artifact's bytes into
     */
    public ArtifactVerification begin(String normalizedProject, String fileName, byte[] signatureFileBytes,
            long declaredLength) throws VerificationException {
        Objects.requireNonNull(normalizedProject, "normalizedProject");
        Objects.requireNonNull(fileName, "fileName");
        if (signatureFileBytes == null) {
            throw new VerificationException(VerificationFailure.MISSING_SIGNATURE, fileName, "no signature file");
        }
        MinisignSignature signature;
        try {
            signature = MinisignSignature.parse(signatureFileBytes);
        } catch (SignatureFormatException e) {
            throw new VerificationException(VerificationFailure.MALFORMED_SIGNATURE, fileName, e.getMessage());
        }
        KeyId keyId = signature.keyId();
        if (revoked.contains(keyId)) {
            throw new VerificationException(VerificationFailure.REVOKED_KEY, fileName, "key " + keyId + " is revoked");
        }
        TrustedKey trusted = selectKey(normalizedProject, fileName, signature);
        checkAlgorithm(trusted, fileName, signature.algorithm(), declaredLength);
        byte[] globalMessage = signature.globalSignedMessage();
        if (!trusted.key().verify(signature.globalSignature(), globalMessage, 0, globalMessage.length)) {
            throw new VerificationException(VerificationFailure.BAD_GLOBAL_SIGNATURE, fileName,
                    "trusted comment signature does not verify with key " + keyId);
        }
        checkFileName(fileName, signature);
        return new ArtifactVerification(trusted, signature, fileName);
    }

    /** Finds the entry for the signature's key that covers the project and, preferably, its algorithm. */
    private TrustedKey selectKey(String project, String fileName, MinisignSignature signature)
            throws VerificationException {
        KeyId keyId = signature.keyId();
        TrustedKey known = null;
        TrustedKey applicable = null;
        for (TrustedKey trusted : keys) {
            if (!trusted.key().keyId().equals(keyId)) {
                continue;
            }
            known = trusted;
            if (trusted.appliesTo(project)) {
                if (signature.algorithm() == SignatureAlgorithm.PREHASHED || trusted.allowLegacy()) {
                    return trusted;
                }
                if (applicable == null) {
                    applicable = trusted;
                }
            }
        }
        if (known == null) {
            throw new VerificationException(VerificationFailure.UNKNOWN_KEY, fileName,
                    "signed by key " + keyId + ", which is not trusted");
        }
        if (applicable == null) {
            throw new VerificationException(VerificationFailure.KEY_NOT_ALLOWED_FOR_PROJECT, fileName,
                    "key " + keyId + " may not sign project " + project);
        }
        return applicable;
    }

    private static void checkAlgorithm(TrustedKey trusted, String fileName, SignatureAlgorithm algorithm,
            long declaredLength) throws VerificationException {
        if (algorithm == SignatureAlgorithm.PREHASHED) {
            return;
        }
        KeyId keyId = trusted.key().keyId();
        if (!trusted.allowLegacy()) {
            throw new VerificationException(VerificationFailure.ALGORITHM_NOT_ALLOWED, fileName,
                    "legacy (Ed, not prehashed) signatures are not allowed for key " + keyId);
        }
        if (declaredLength > trusted.legacyMaxBytes()) {
            throw new VerificationException(VerificationFailure.LEGACY_TOO_LARGE, fileName,
                    "artifact is " + declaredLength + " bytes; legacy signatures by key " + keyId
                            + " are accepted up to " + trusted.legacyMaxBytes() + " bytes");
        }
    }

    private void checkFileName(String fileName, MinisignSignature signature) throws VerificationException {
        Optional<String> signedName = signature.trustedFileName();
        if (signedName.isPresent()) {
            if (!signedName.get().equals(fileName)) {
                throw new VerificationException(VerificationFailure.FILE_NAME_MISMATCH, fileName,
                        "signature is for file \"" + signedName.get() + "\"");
            }
        } else if (policy == FileNamePolicy.REQUIRE) {
            throw new VerificationException(VerificationFailure.FILE_NAME_MISSING, fileName,
                    "trusted comment has no file: field");
        }
    }
}
