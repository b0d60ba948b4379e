package dev.signet.sig;

import java.nio.ByteBuffer;
import java.util.Objects;
import dev.signet.crypto.Blake2b512;

/**
 * One artifact's bytes on their way through signature verification. Prehashed signatures are checked against a
 * BLAKE2b-512 digest computed as the bytes arrive, in constant memory. Legacy signatures need the whole artifact,
 * so it is buffered up to the key's cap; past the cap the buffer is dropped at once and {@link #finish()} fails.
 *
 * <p>Not thread-safe: feed it from one thread at a time.
 */
public final class ArtifactVerification {

    static final int DIGEST_BYTES = 64;

    private final TrustedKey trusted;
    private final MinisignSignature signature;
    private final String fileName;
    private final Blake2b512 digest;
    private LegacyBuffer legacy;
    private boolean legacyOverflow;
    private long bytesSeen;
    private boolean finished;

    ArtifactVerification(TrustedKey trusted, MinisignSignature signature, String fileName) {
        this.trusted = trusted;
        this.signature = signature;
        this.fileName = fileName;
        if (signature.algorithm() == SignatureAlgorithm.PREHASHED) {
            this.digest = Blake2b512.create();
        } else {
            this.digest = null;
            this.legacy = new LegacyBuffer((int) trusted.legacyMaxBytes());
        }
    }

    public void update(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        checkNotFinished();
        bytesSeen += len;
        if (digest != null) {
            digest.update(b, off, len);
        } else if (!legacyOverflow) {
            if (!legacy.append(b, off, len)) {
                legacyOverflow = true;
                legacy = null;
            }
        }
    }

    /** Consumes {@code buf} from its position to its limit; a direct buffer is hashed where it is, not copied. */
    public void update(ByteBuffer buf) {
        checkNotFinished();
        if (buf.hasArray()) {
            int length = buf.remaining();
            update(buf.array(), buf.arrayOffset() + buf.position(), length);
            buf.position(buf.limit());
            return;
        }
        int length = buf.remaining();
        bytesSeen += length;
        if (digest != null) {
            digest.update(buf);
            return;
        }
        if (legacyOverflow) {
            buf.position(buf.limit());
            return;
        }
        // A legacy signature covers the whole artifact, buffered in one array anyway: copy in place.
        if (!legacy.append(buf)) {
            legacyOverflow = true;
            legacy = null;
            buf.position(buf.limit());
        }
    }

    public long bytesSeen() {
        return bytesSeen;
    }

    public KeyId keyId() {
        return signature.keyId();
    }

    public SignatureAlgorithm algorithm() {
        return signature.algorithm();
    }

    /**
     * The trusted comment, already checked against the global signature by {@link Keyring#begin}: callers may act on
     * its fields before the signed bytes arrive (a page signature's project, serial and expiry).
     */
    public String trustedComment() {
        return signature.trustedComment();
    }

    /**
     * The signed {@code timestamp:} of the trusted comment (epoch seconds), verified with the global signature like
     * the rest of the comment: the only upload time of a file that an attacker on the path cannot forge.
     */
    public java.util.OptionalLong signedTimestamp() {
        return TrustedComment.timestamp(signature.trustedComment());
    }

    /**
     * True once {@link #finish()} is certain to fail (a legacy artifact grew past its cap), so the caller can stop
     * downloading early.
     */
    public boolean failedEarly() {
        return legacyOverflow;
    }

    /** Verifies the signature over everything fed in. Call once. */
    public VerificationResult finish() throws VerificationException {
        checkNotFinished();
        finished = true;
        KeyId keyId = signature.keyId();
        boolean valid;
        if (digest != null) {
            byte[] hash = new byte[DIGEST_BYTES];
            digest.digest(hash, 0);
            valid = trusted.key().verify(signature.signature(), hash, 0, hash.length);
        } else {
            if (legacyOverflow) {
                throw new VerificationException(VerificationFailure.LEGACY_TOO_LARGE, fileName,
                        "artifact is " + bytesSeen + " bytes; legacy signatures by key " + keyId
                                + " are accepted up to " + trusted.legacyMaxBytes() + " bytes");
            }
            valid = trusted.key().verify(signature.signature(), legacy.array(), 0, legacy.length());
            legacy = null;
        }
        if (!valid) {
            throw new VerificationException(VerificationFailure.BAD_SIGNATURE, fileName,
                    "signature does not verify with key " + keyId);
        }
        return new VerificationResult(keyId, signature.algorithm(), signature.trustedComment(), bytesSeen);
    }

    private void checkNotFinished() {
        if (finished) {
            throw new IllegalStateException("verification of " + Printable.escape(fileName) + " already finished");
        }
    }
}
