package dev.signet.publish;

import dev.signet.sig.MinisignSecretKey;
import dev.signet.sig.MinisignSigner;
import java.nio.file.Path;
import java.util.Objects;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Signs files and pages with one minisign secret key, as {@code signet sign} and {@code minisign -S} would: prehashed
 * {@code ED} signatures, files with the trusted comment {@code timestamp:N<TAB>file:NAME<TAB>hashed}.
 */
public final class KeySigner implements FileSigner, PageSigner {

    private final MinisignSecretKey key;
    private final String untrustedComment;

    public KeySigner(MinisignSecretKey key, String untrustedComment) {
        this.key = Objects.requireNonNull(key, "key");
        this.untrustedComment = untrustedComment;
    }

    @Override
    public byte[] sign(Path file, String fileName, FileDigests digests) {
        return MinisignSigner.signDigest(key, digests.blake2b512(), fileName, null, untrustedComment).encode();
    }

    @Override
    public byte[] sign(byte[] page, String trustedComment) {
        Blake2bDigest blake2b = new Blake2bDigest(512);
        blake2b.update(page, 0, page.length);
        byte[] digest = new byte[64];
        blake2b.doFinal(digest, 0);
        return MinisignSigner.signDigest(key, digest, null, trustedComment, untrustedComment).encode();
    }
}
