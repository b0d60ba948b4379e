package dev.signet.publish;

/** Signs a project page's exact bytes with a given trusted comment (format: docs/signed-index.md, section 2). */
@FunctionalInterface
public interface PageSigner {
    byte[] sign(byte[] page, String trustedComment);
}
