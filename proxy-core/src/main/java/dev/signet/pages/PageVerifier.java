package dev.signet.pages;

import dev.signet.sig.ArtifactVerification;
import dev.signet.sig.KeyId;
import dev.signet.sig.Keyring;
import dev.signet.sig.VerificationException;
import dev.signet.sig.VerificationFailure;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The verify path of a signed project page (docs/signed-index.md, section 4), top to bottom. {@link #begin} makes every
 * check the signature file allows before the page is downloaded: well-formed, a page key trusted for this upstream
 * and not revoked, the global signature over the trusted comment, a version-1 comment for the project asked for,
 * not expired, not rolled back. {@link Pending#finish} then checks the page bytes: the signature over them and that
 * a serial accepted before comes with the same bytes. Pure computation on small inputs; callers run it on a worker.
 */
public final class PageVerifier {

    private final Keyring pageKeys;
    private final PagePolicy policy;

    /** @param pageKeys the keys trusted for this upstream's pages, with the revoked ids and {@code file:} required */
    public PageVerifier(Keyring pageKeys, PagePolicy policy) {
        this.pageKeys = Objects.requireNonNull(pageKeys, "pageKeys");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public PagePolicy policy() {
        return policy;
    }

    /**
     * @param signatureFile the {@code index.json.minisig} bytes (never {@code null}: an absent signature is the
     *     caller's decision, see {@link PagePolicy#unsigned})
     * @param known what this edge accepted before for {@code project}, or {@code null}
     */
    public Pending begin(String project, byte[] signatureFile, long nowMillis, PageHistory known)
            throws PageRefusedException {
        Objects.requireNonNull(signatureFile, "signatureFile");
        ArtifactVerification verification;
        try {
            verification = pageKeys.begin(project, PageComment.FILE_NAME, signatureFile);
        } catch (VerificationException e) {
            PageRefusal reason = e.failure() == VerificationFailure.FILE_NAME_MISMATCH
                    || e.failure() == VerificationFailure.FILE_NAME_MISSING ? PageRefusal.MALFORMED : PageRefusal.BAD_SIGNATURE;
            throw new PageRefusedException(reason, project, e.getMessage());
        }
        PageComment comment = PageComment.parse(verification.trustedComment(), project);
        policy.checkComment(comment, project, nowMillis, known);
        return new Pending(project, comment, verification, known);
    }

    /** A page whose signature passed every check that did not need the page itself. */
    public final class Pending {
        private final String project;
        private final PageComment comment;
        private final ArtifactVerification verification;
        private final PageHistory known;

        private Pending(String project, PageComment comment, ArtifactVerification verification, PageHistory known) {
            this.project = project;
            this.comment = comment;
            this.verification = verification;
            this.known = known;
        }

        public PageComment comment() {
            return comment;
        }

        /** Checks the page bytes; on success, {@link VerifiedPage#history()} is what to record before serving. */
        public VerifiedPage finish(byte[] page) throws PageRefusedException {
            verification.update(page, 0, page.length);
            KeyId keyId;
            try {
                keyId = verification.finish().keyId();
            } catch (VerificationException e) {
                throw new PageRefusedException(PageRefusal.BAD_SIGNATURE, project, e.getMessage());
            }
            String sha256 = sha256Hex(page);
            policy.checkContent(comment, project, sha256, known);
            return new VerifiedPage(comment, sha256, keyId, policy.accepted(comment, sha256, known));
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
