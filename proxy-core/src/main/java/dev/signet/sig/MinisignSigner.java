package dev.signet.sig;

import dev.signet.crypto.Blake2b512;
import java.io.IOException;
import java.io.InputStream;
import java.time.InstantSource;
import java.util.Objects;

/** Writes {@code .minisig} signatures the way {@code minisign -S} does. */
public final class MinisignSigner {

    static final String DEFAULT_UNTRUSTED_COMMENT = "signature from signet secret key";

    private MinisignSigner() {}

    /**
     * Signs {@code data} (read to its end, not closed) with a prehashed ({@code ED}) signature.
     *
     * @param fileName the artifact's file name for the default trusted comment; must not contain a tab
     * @param trustedComment the signed comment, or {@code null} for minisign's default
     *     {@code timestamp:<epoch seconds>\tfile:<fileName>\thashed}
     * @param untrustedComment the unsigned first line, or {@code null} for "signature from signet secret key"
     * @throws IllegalArgumentException if a comment is not a valid single printable line
     */
    public static MinisignSignature sign(MinisignSecretKey key, InputStream data, String fileName,
            String trustedComment, String untrustedComment) throws IOException {
        return sign(key, data, fileName, trustedComment, untrustedComment, InstantSource.system());
    }

    static MinisignSignature sign(MinisignSecretKey key, InputStream data, String fileName, String trustedComment,
            String untrustedComment, InstantSource clock) throws IOException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(data, "data");
        String trusted = trustedComment != null ? trustedComment : defaultComment(fileName, clock) + "\thashed";
        Blake2b512 digest = Blake2b512.create();
        byte[] buffer = new byte[64 * 1024];
        for (int n = data.read(buffer); n >= 0; n = data.read(buffer)) {
            digest.update(buffer, 0, n);
        }
        return finish(key, SignatureAlgorithm.PREHASHED, key.sign(digest.digest()), trusted, untrustedComment);
    }

    /**
     * A prehashed ({@code ED}) signature from a BLAKE2b-512 digest the caller computed, for callers that hash each
     * file once for several purposes ({@code signet publish} computes SHA-256 in the same pass). Comments as in
     * {@link #sign(MinisignSecretKey, InputStream, String, String, String)}.
     */
    public static MinisignSignature signDigest(MinisignSecretKey key, byte[] blake2b512, String fileName,
            String trustedComment, String untrustedComment) {
        Objects.requireNonNull(key, "key");
        if (blake2b512.length != ArtifactVerification.DIGEST_BYTES) {
            throw new IllegalArgumentException("a BLAKE2b-512 digest is " + ArtifactVerification.DIGEST_BYTES
                    + " bytes, not " + blake2b512.length);
        }
        String trusted = trustedComment != null ? trustedComment
                : defaultComment(fileName, InstantSource.system()) + "\thashed";
        return finish(key, SignatureAlgorithm.PREHASHED, key.sign(blake2b512), trusted, untrustedComment);
    }

    /**
     * Signs {@code data} with a legacy ({@code Ed}, whole-file) signature. Its default trusted comment is
     * {@code timestamp:<epoch seconds>\tfile:<fileName>}, as {@code minisign -S -l} writes.
     */
    public static MinisignSignature signLegacy(MinisignSecretKey key, byte[] data, String fileName,
            String trustedComment) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(data, "data");
        String trusted = trustedComment != null ? trustedComment : defaultComment(fileName, InstantSource.system());
        return finish(key, SignatureAlgorithm.LEGACY, key.sign(data), trusted, null);
    }

    private static String defaultComment(String fileName, InstantSource clock) {
        Objects.requireNonNull(fileName, "fileName is needed for the default trusted comment");
        if (fileName.indexOf('\t') >= 0) {
            throw new IllegalArgumentException("file name must not contain a tab: " + Printable.escape(fileName));
        }
        return "timestamp:" + clock.instant().getEpochSecond() + "\tfile:" + fileName;
    }

    private static MinisignSignature finish(MinisignSecretKey key, SignatureAlgorithm algorithm, byte[] signature,
            String trustedComment, String untrustedComment) {
        // Validate before signing so a bad comment never produces a signature at all.
        TrustedComment.problem(trustedComment).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        byte[] global = key.sign(MinisignSignature.globalSignedMessage(signature, trustedComment));
        return MinisignSignature.assemble(algorithm, key.keyId(), signature,
                untrustedComment != null ? untrustedComment : DEFAULT_UNTRUSTED_COMMENT, trustedComment, global);
    }
}
