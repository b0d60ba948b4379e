package dev.signet.sig;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A parsed {@code .minisig} file. Four lines: untrusted comment; {@code base64(alg(2) || keyid(8) || sig(64))};
 * {@code trusted comment: TEXT}; {@code base64(global signature(64))}, where the global signature is Ed25519 over
 * {@code sig || TEXT}. Parsing checks the format only; {@link Keyring} checks the signatures.
 */
public final class MinisignSignature {

    /** minisign signature files are a few hundred bytes; anything this large is not one. */
    static final int MAX_FILE_BYTES = 16 * 1024;
    static final int SIGNATURE_LINE_BYTES = 2 + KeyId.BYTES + Ed25519.SIGNATURE_SIZE;

    private final SignatureAlgorithm algorithm;
    private final KeyId keyId;
    private final byte[] signature;
    private final String untrustedComment;
    private final String trustedComment;
    private final byte[] globalSignature;

    private MinisignSignature(SignatureAlgorithm algorithm, KeyId keyId, byte[] signature, String untrustedComment,
            String trustedComment, byte[] globalSignature) {
        this.algorithm = algorithm;
        this.keyId = keyId;
        this.signature = signature;
        this.untrustedComment = untrustedComment;
        this.trustedComment = trustedComment;
        this.globalSignature = globalSignature;
    }

    /** Parses the exact bytes of a {@code .minisig} file; a final {@code \n} is optional. */
    public static MinisignSignature parse(byte[] fileBytes) throws SignatureFormatException {
        Objects.requireNonNull(fileBytes, "fileBytes");
        if (fileBytes.length > MAX_FILE_BYTES) {
            throw new SignatureFormatException("signature file is " + fileBytes.length
                    + " bytes, the limit is " + MAX_FILE_BYTES + " (16 KiB)");
        }
        byte[][] lines = Lines.split(fileBytes, 4, "signature file");

        String untrusted = Lines.afterPrefix(Lines.utf8(lines[0], "line 1 (untrusted comment)"),
                MinisignPublicKey.UNTRUSTED_COMMENT_PREFIX, "line 1 (untrusted comment)");

        byte[] signatureLine = StrictBase64.decode(Lines.utf8(lines[1], "line 2 (signature)"),
                SIGNATURE_LINE_BYTES, "line 2 (signature)");
        SignatureAlgorithm algorithm = SignatureAlgorithm.fromCode(signatureLine, 0)
                .orElseThrow(() -> new SignatureFormatException(String.format(Locale.ROOT,
                        "unknown signature algorithm 0x%02X%02X, expected \"ED\" (prehashed) or \"Ed\" (legacy)",
                        signatureLine[0] & 0xFF, signatureLine[1] & 0xFF)));
        KeyId keyId = KeyId.fromBytes(signatureLine, 2);
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        System.arraycopy(signatureLine, 2 + KeyId.BYTES, signature, 0, signature.length);

        String trusted = Lines.afterPrefix(Lines.utf8(lines[2], "line 3 (trusted comment)"),
                TrustedComment.PREFIX, "line 3 (trusted comment)");
        Optional<String> problem = TrustedComment.problem(trusted);
        if (problem.isPresent()) {
            throw new SignatureFormatException(problem.get());
        }

        byte[] global = StrictBase64.decode(Lines.utf8(lines[3], "line 4 (global signature)"),
                Ed25519.SIGNATURE_SIZE, "line 4 (global signature)");
        return new MinisignSignature(algorithm, keyId, signature, untrusted, trusted, global);
    }

    /**
     * Assembles a signature made by {@link MinisignSigner}.
     *
     * @throws IllegalArgumentException if a comment could not be written and parsed back unchanged
     */
    static MinisignSignature assemble(SignatureAlgorithm algorithm, KeyId keyId, byte[] signature,
            String untrustedComment, String trustedComment, byte[] globalSignature) {
        if (untrustedComment.indexOf('\n') >= 0 || untrustedComment.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("untrusted comment must be a single line");
        }
        TrustedComment.problem(trustedComment).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        return new MinisignSignature(algorithm, keyId, signature.clone(), untrustedComment, trustedComment,
                globalSignature.clone());
    }

    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    public KeyId keyId() {
        return keyId;
    }

    /** The signed comment, without the {@code trusted comment: } prefix. */
    public String trustedComment() {
        return trustedComment;
    }

    /** The unsigned comment, without the {@code untrusted comment: } prefix. Never base a decision on it. */
    public String untrustedComment() {
        return untrustedComment;
    }

    /** The value of the {@code file:} field of the tab-separated trusted comment, if there is one. */
    public Optional<String> trustedFileName() {
        return TrustedComment.fileName(trustedComment);
    }

    /** The file as minisign writes it: four lines, each ending in {@code \n}. */
    public byte[] encode() {
        byte[] signatureLine = new byte[SIGNATURE_LINE_BYTES];
        algorithm.writeCode(signatureLine, 0);
        keyId.writeBytes(signatureLine, 2);
        System.arraycopy(signature, 0, signatureLine, 2 + KeyId.BYTES, signature.length);
        String text = MinisignPublicKey.UNTRUSTED_COMMENT_PREFIX + untrustedComment + "\n"
                + StrictBase64.encode(signatureLine) + "\n"
                + TrustedComment.PREFIX + trustedComment + "\n"
                + StrictBase64.encode(globalSignature) + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The 64-byte Ed25519 signature over the file (legacy) or its BLAKE2b-512 digest (prehashed). */
    byte[] signature() {
        return signature.clone();
    }

    byte[] globalSignature() {
        return globalSignature.clone();
    }

    /** What the global signature signs: {@code sig || trusted comment bytes}. */
    byte[] globalSignedMessage() {
        return globalSignedMessage(signature, trustedComment);
    }

    static byte[] globalSignedMessage(byte[] signature, String trustedComment) {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.writeBytes(signature);
        message.writeBytes(trustedComment.getBytes(StandardCharsets.UTF_8));
        return message.toByteArray();
    }

    @Override
    public String toString() {
        return "minisign signature " + algorithm.code() + " by key " + keyId + ", trusted comment \""
                + Printable.escape(trustedComment) + "\"";
    }
}
