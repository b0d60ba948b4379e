package dev.signet.sig;

import static dev.signet.sig.Fixtures.FILE_NAME;
import static dev.signet.sig.Fixtures.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class KeyringTest {

    private final MinisignKeyPair pair = Fixtures.newKeyPair();
    private final String id = pair.publicKey().keyId().toString();
    private final byte[] data = Fixtures.artifact(4097);

    @Test
    void validSignatureVerifies() throws Exception {
        VerificationResult result = verify(Fixtures.keyring(pair), Fixtures.signatureFile(pair, data), data);

        assertThat(result.keyId()).isEqualTo(pair.publicKey().keyId());
        assertThat(result.algorithm()).isEqualTo(SignatureAlgorithm.PREHASHED);
        assertThat(result.length()).isEqualTo(data.length);
        assertThat(result.trustedComment()).matches("timestamp:\\d+\tfile:" + FILE_NAME.replace(".", "\\.") + "\thashed");
    }

    @Test
    void missingSignatureIsRefused() {
        assertFailure(() -> Fixtures.keyring(pair).begin(PROJECT, FILE_NAME, null),
                VerificationFailure.MISSING_SIGNATURE, "missing signature (no signature file)");
    }

    @Test
    void tamperedArtifactByteIsABadSignature() throws Exception {
        byte[] signature = Fixtures.signatureFile(pair, data);
        byte[] tampered = data.clone();
        tampered[2048] ^= 0x40;

        ArtifactVerification verification = Fixtures.keyring(pair).begin(PROJECT, FILE_NAME, signature);
        verification.update(tampered, 0, tampered.length);

        assertFailure(verification::finish, VerificationFailure.BAD_SIGNATURE,
                "bad signature (signature does not verify with key " + id + ")");
    }

    @Test
    void truncatedArtifactIsABadSignature() throws Exception {
        ArtifactVerification verification = Fixtures.keyring(pair).begin(PROJECT, FILE_NAME,
                Fixtures.signatureFile(pair, data));
        verification.update(data, 0, data.length - 1);

        assertFailure(verification::finish, VerificationFailure.BAD_SIGNATURE,
                "bad signature (signature does not verify with key " + id + ")");
    }

    @Test
    void tamperedTrustedCommentIsABadGlobalSignature() {
        String[] lines = Fixtures.lines(Fixtures.signatureFile(pair, data));
        String forged = lines[2].replaceFirst("timestamp:\\d+", "timestamp:9999999999");

        assertFailure(() -> Fixtures.keyring(pair).begin(PROJECT, FILE_NAME, Fixtures.join(lines[0], lines[1], forged, lines[3])),
                VerificationFailure.BAD_GLOBAL_SIGNATURE,
                "bad global signature (trusted comment signature does not verify with key " + id + ")");
    }

    @Test
    void unknownKeyIsRefused() {
        MinisignKeyPair stranger = Fixtures.newKeyPair();

        assertFailure(() -> Fixtures.keyring(pair).begin(PROJECT, FILE_NAME, Fixtures.signatureFile(stranger, data)),
                VerificationFailure.UNKNOWN_KEY,
                "unknown key (signed by key " + stranger.publicKey().keyId() + ", which is not trusted)");
    }

    @Test
    void foreignKeyClaimingATrustedKeyIdFailsTheGlobalSignature() {
        MinisignKeyPair impostor = Fixtures.newKeyPair();
        byte[] forged = impostorSignature(impostor, pair.publicKey().keyId());

        assertFailure(() -> Fixtures.keyring(pair).begin(PROJECT, FILE_NAME, forged),
                VerificationFailure.BAD_GLOBAL_SIGNATURE,
                "bad global signature (trusted comment signature does not verify with key " + id + ")");
    }

    @Test
    void revokedKeyIsRefusedEvenWhileStillListed() {
        Keyring keyring = new Keyring(List.of(TrustedKey.of(pair.publicKey())), Set.of(pair.publicKey().keyId()),
                FileNamePolicy.REQUIRE);

        assertFailure(() -> keyring.begin(PROJECT, FILE_NAME, Fixtures.signatureFile(pair, data)),
                VerificationFailure.REVOKED_KEY, "revoked key (key " + id + " is revoked)");
    }

    @Test
    void keyLimitedToOtherProjectsIsRefused() {
        Keyring keyring = Fixtures.keyring(List.of(new TrustedKey(pair.publicKey(), false, 0, List.of("acme-*", "tool"))),
                FileNamePolicy.REQUIRE);

        assertFailure(() -> keyring.begin(PROJECT, FILE_NAME, Fixtures.signatureFile(pair, data)),
                VerificationFailure.KEY_NOT_ALLOWED_FOR_PROJECT,
                "key not allowed for project (key " + id + " may not sign project demo)");
    }

    @Test
    void keyLimitedToMatchingProjectsVerifies() throws Exception {
        Keyring keyring = Fixtures.keyring(List.of(new TrustedKey(pair.publicKey(), false, 0, List.of("acme-*", "d?mo"))),
                FileNamePolicy.REQUIRE);

        assertThat(verify(keyring, Fixtures.signatureFile(pair, data), data).keyId()).isEqualTo(pair.publicKey().keyId());
    }

    @Test
    void legacySignatureIsRefusedUnlessTheKeyAllowsIt() {
        byte[] legacy = MinisignSigner.signLegacy(pair.secretKey(), data, FILE_NAME, null).encode();

        assertFailure(() -> Fixtures.keyring(pair).begin(PROJECT, FILE_NAME, legacy),
                VerificationFailure.ALGORITHM_NOT_ALLOWED,
                "algorithm not allowed (legacy (Ed, not prehashed) signatures are not allowed for key " + id + ")");
    }

    @Test
    void legacySignatureVerifiesWithinTheCap() throws Exception {
        byte[] legacy = MinisignSigner.signLegacy(pair.secretKey(), data, FILE_NAME, null).encode();

        VerificationResult result = verify(legacyKeyring(data.length), legacy, data);

        assertThat(result.algorithm()).isEqualTo(SignatureAlgorithm.LEGACY);
        assertThat(result.trustedComment()).matches("timestamp:\\d+\tfile:" + FILE_NAME.replace(".", "\\."));
    }

    @Test
    void tamperedLegacyArtifactIsABadSignature() throws Exception {
        byte[] legacy = MinisignSigner.signLegacy(pair.secretKey(), data, FILE_NAME, null).encode();
        byte[] tampered = data.clone();
        tampered[0] ^= 1;
        ArtifactVerification verification = legacyKeyring(data.length).begin(PROJECT, FILE_NAME, legacy);
        verification.update(tampered, 0, tampered.length);

        assertFailure(verification::finish, VerificationFailure.BAD_SIGNATURE,
                "bad signature (signature does not verify with key " + id + ")");
    }

    @Test
    void legacyArtifactDeclaredLargerThanTheCapIsRefusedUpFront() {
        byte[] legacy = MinisignSigner.signLegacy(pair.secretKey(), data, FILE_NAME, null).encode();

        assertFailure(() -> legacyKeyring(4096).begin(PROJECT, FILE_NAME, legacy, data.length),
                VerificationFailure.LEGACY_TOO_LARGE, "legacy too large (artifact is 4097 bytes; legacy signatures by key "
                        + id + " are accepted up to 4096 bytes)");
    }

    @Test
    void legacyArtifactGrowingPastTheCapFailsAsSoonAsItDoes() throws Exception {
        byte[] legacy = MinisignSigner.signLegacy(pair.secretKey(), data, FILE_NAME, null).encode();
        ArtifactVerification verification = legacyKeyring(4096).begin(PROJECT, FILE_NAME, legacy);

        verification.update(data, 0, 4096);
        assertThat(verification.failedEarly()).isFalse();
        verification.update(data, 4096, 1);
        assertThat(verification.failedEarly()).isTrue();

        assertFailure(verification::finish, VerificationFailure.LEGACY_TOO_LARGE,
                "legacy too large (artifact is 4097 bytes; legacy signatures by key " + id
                        + " are accepted up to 4096 bytes)");
    }

    @Test
    void fileNameMismatchIsRefused() {
        assertFailure(() -> Fixtures.keyring(pair).begin(PROJECT, "demo-2.0-py3-none-any.whl", Fixtures.signatureFile(pair, data)),
                "demo-2.0-py3-none-any.whl", VerificationFailure.FILE_NAME_MISMATCH,
                "file name mismatch (signature is for file \"" + FILE_NAME + "\")");
    }

    @Test
    void fileNameMismatchIsRefusedEvenWhenMissingNamesAreAllowed() {
        Keyring lenient = Fixtures.keyring(List.of(TrustedKey.of(pair.publicKey())), FileNamePolicy.ALLOW_MISSING);

        assertFailure(() -> lenient.begin(PROJECT, "other.whl", Fixtures.signatureFile(pair, data)), "other.whl",
                VerificationFailure.FILE_NAME_MISMATCH, "file name mismatch (signature is for file \"" + FILE_NAME + "\")");
    }

    @Test
    void missingFileNameIsRefusedUnderRequire() {
        byte[] signature = Fixtures.sign(pair, data, "timestamp:1700000000\thashed").encode();

        assertFailure(() -> Fixtures.keyring(pair).begin(PROJECT, FILE_NAME, signature),
                VerificationFailure.FILE_NAME_MISSING, "file name missing (trusted comment has no file: field)");
    }

    @Test
    void missingFileNameIsAcceptedUnderAllowMissing() throws Exception {
        byte[] signature = Fixtures.sign(pair, data, "release 1.0").encode();
        Keyring lenient = Fixtures.keyring(List.of(TrustedKey.of(pair.publicKey())), FileNamePolicy.ALLOW_MISSING);

        assertThat(verify(lenient, signature, data).trustedComment()).isEqualTo("release 1.0");
    }

    @Test
    void eitherOfTwoRotatedKeysVerifies() throws Exception {
        MinisignKeyPair next = Fixtures.newKeyPair();
        Keyring keyring = Fixtures.keyring(pair, next);

        assertThat(verify(keyring, Fixtures.signatureFile(pair, data), data).keyId()).isEqualTo(pair.publicKey().keyId());
        assertThat(verify(keyring, Fixtures.signatureFile(next, data), data).keyId()).isEqualTo(next.publicKey().keyId());
    }

    @Test
    void signatureByTheOtherRotatedKeyDoesNotVerifyUnderTheFirstKeysId() {
        MinisignKeyPair next = Fixtures.newKeyPair();
        byte[] crossed = impostorSignature(next, pair.publicKey().keyId());

        assertFailure(() -> Fixtures.keyring(pair, next).begin(PROJECT, FILE_NAME, crossed),
                VerificationFailure.BAD_GLOBAL_SIGNATURE,
                "bad global signature (trusted comment signature does not verify with key " + id + ")");
    }

    @Test
    void twoDifferentKeysWithTheSameIdAreRejected() {
        MinisignKeyPair other = Fixtures.newKeyPair();
        MinisignPublicKey sameId;
        try {
            sameId = MinisignPublicKey.fromParts(pair.publicKey().keyId(), other.publicKey().keyBytes());
        } catch (SignatureFormatException e) {
            throw new AssertionError(e);
        }
        List<TrustedKey> keys = List.of(TrustedKey.of(pair.publicKey()), TrustedKey.of(sameId));

        assertThatThrownBy(() -> new Keyring(keys, Set.of(), FileNamePolicy.REQUIRE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("two different public keys have key id " + id);
    }

    @Test
    void sameKeyListedTwiceUsesTheEntryThatCoversTheProject() throws Exception {
        Keyring keyring = Fixtures.keyring(List.of(
                new TrustedKey(pair.publicKey(), false, 0, List.of("other")),
                new TrustedKey(pair.publicKey(), true, 1 << 20, List.of("demo"))), FileNamePolicy.REQUIRE);
        byte[] legacy = MinisignSigner.signLegacy(pair.secretKey(), data, FILE_NAME, null).encode();

        assertThat(verify(keyring, legacy, data).algorithm()).isEqualTo(SignatureAlgorithm.LEGACY);
    }

    @Test
    void controlCharactersInTheRequestedFileNameAreEscapedInTheMessage() {
        assertThatThrownBy(() -> Fixtures.keyring(pair).begin(PROJECT, "evil\n200 OK\u001b\\.whl", null))
                .isInstanceOfSatisfying(VerificationException.class,
                        e -> assertThat(e.fileName()).isEqualTo("evil\n200 OK\u001b\\.whl"))
                .hasMessage("refused evil\\u000A200 OK\\u001B\\\\.whl: missing signature (no signature file)");
    }

    @Test
    void finishingTwiceIsAProgrammingError() throws Exception {
        ArtifactVerification verification = Fixtures.keyring(pair).begin(PROJECT, FILE_NAME, Fixtures.signatureFile(pair, data));
        verification.update(data, 0, data.length);
        verification.finish();

        assertThatThrownBy(verification::finish).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> verification.update(data, 0, 1)).isInstanceOf(IllegalStateException.class);
    }

    private Keyring legacyKeyring(long cap) {
        return Fixtures.keyring(List.of(new TrustedKey(pair.publicKey(), true, cap, List.of())), FileNamePolicy.REQUIRE);
    }

    /** A correctly self-signed signature by {@code signer} whose key id field claims {@code claimed}. */
    private byte[] impostorSignature(MinisignKeyPair signer, KeyId claimed) {
        MinisignSignature real = Fixtures.sign(signer, data, null);
        return MinisignSignature.assemble(real.algorithm(), claimed, real.signature(), "x", real.trustedComment(),
                real.globalSignature()).encode();
    }

    private static VerificationResult verify(Keyring keyring, byte[] signature, byte[] data) throws VerificationException {
        ArtifactVerification verification = keyring.begin(PROJECT, FILE_NAME, signature);
        verification.update(data, 0, data.length);
        return verification.finish();
    }

    private static void assertFailure(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
            VerificationFailure failure, String reason) {
        assertFailure(call, FILE_NAME, failure, reason);
    }

    private static void assertFailure(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String fileName,
            VerificationFailure failure, String reason) {
        AbstractThrowableAssert<?, ?> thrown = assertThatThrownBy(call)
                .isInstanceOfSatisfying(VerificationException.class, e -> {
                    assertThat(e.failure()).isEqualTo(failure);
                    assertThat(e.fileName()).isEqualTo(fileName);
                    assertThat(e.getMessage()).doesNotContain("\n", "\r");
                });
        thrown.hasMessage("refused " + Printable.escape(fileName) + ": " + reason);
    }
}
