package dev.signet.pages;

import dev.signet.sig.MinisignSecretKey;
import dev.signet.sig.MinisignSigner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Signs a project page in format version 1: a prehashed minisign signature whose trusted comment is a {@link PageComment}. */
public final class PageSigner {

    private PageSigner() {
    }

    /** The {@code index.json.minisig} file for {@code page}. */
    public static byte[] sign(MinisignSecretKey key, byte[] page, PageComment comment, long signedAtEpochSeconds) {
        try {
            return MinisignSigner.sign(key, new ByteArrayInputStream(page), PageComment.FILE_NAME,
                    comment.render(signedAtEpochSeconds), "signet page signature for " + comment.project()).encode();
        } catch (IOException e) {
            throw new UncheckedIOException("reading a byte array cannot fail", e);
        }
    }
}
