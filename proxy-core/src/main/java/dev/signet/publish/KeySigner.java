package dev.signet.publish;

import dev.signet.sig.MinisignSecretKey;
import dev.signet.sig.MinisignSigner;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import dev.signet.crypto.Blake2b512;

/**
 * Signs files and pages with one minisign secret key, as {@code signet sign} and {@code minisign -S} would: prehashed
 * {@code ED} signatures, files with the trusted comment {@code timestamp:N<TAB>file:NAME<TAB>hashed}.
 */
public final class KeySigner implements FileSigner, PageSigner {

    private final MinisignSecretKey key;
    private final String untrustedComment;
    private final boolean bindSha256;

    public KeySigner(MinisignSecretKey key, String untrustedComment) {
        this(key, untrustedComment, false);
    }

    private KeySigner(MinisignSecretKey key, String untrustedComment, boolean bindSha256) {
        this.key = Objects.requireNonNull(key, "key");
        this.untrustedComment = untrustedComment;
        this.bindSha256 = bindSha256;
    }

    /**
     * A signer for a signing origin: file signatures also carry the file's SHA-256 in the trusted comment
     * ({@code timestamp:N<TAB>file:NAME<TAB>sha256:HEX<TAB>hashed}). The origin signs only bytes whose SHA-256 equals
     * the one its upstream published, so the field records which upstream hash the signature vouches for; verifiers
     * read {@code file:} and ignore fields they do not know.
     */
    public static KeySigner bindingSha256(MinisignSecretKey key, String untrustedComment) {
        return new KeySigner(key, untrustedComment, true);
    }

    @Override
    public byte[] sign(Path file, String fileName, FileDigests digests) {
        String trusted = bindSha256
                ? "timestamp:" + Instant.now().getEpochSecond() + "\tfile:" + fileName + "\tsha256:"
                        + digests.sha256Hex() + "\thashed"
                : null;
        return MinisignSigner.signDigest(key, digests.blake2b512(), fileName, trusted, untrustedComment).encode();
    }

    @Override
    public byte[] sign(byte[] page, String trustedComment) {
        Blake2b512 blake2b = Blake2b512.create();
        blake2b.update(page, 0, page.length);
        return MinisignSigner.signDigest(key, blake2b.digest(), null, trustedComment, untrustedComment).encode();
    }
}
