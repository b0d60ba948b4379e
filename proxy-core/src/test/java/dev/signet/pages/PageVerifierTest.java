package dev.signet.pages;

import dev.signet.publish.KeySigner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.signet.sig.FileNamePolicy;
import dev.signet.sig.KeyId;
import dev.signet.sig.Keyring;
import dev.signet.sig.MinisignKeyPair;
import dev.signet.sig.MinisignSigner;
import dev.signet.sig.TrustedKey;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PageVerifierTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long NOW_SECONDS = 1_800_000_000L;
    private static final long NOW = NOW_SECONDS * 1000;
    private static final byte[] PAGE = "{\"meta\":{\"api-version\":\"1.1\"},\"name\":\"six\",\"files\":[]}"
            .getBytes(StandardCharsets.UTF_8);

    private final MinisignKeyPair pageKey = MinisignKeyPair.generate(RANDOM);
    private final PageVerifier verifier = new PageVerifier(keyring(Set.of(), pageKey), PagePolicy.DEFAULT);

    private static Keyring keyring(Set<KeyId> revoked, MinisignKeyPair... pairs) {
        return new Keyring(java.util.Arrays.stream(pairs).map(p -> TrustedKey.of(p.publicKey())).toList(), revoked,
                FileNamePolicy.REQUIRE);
    }

    private byte[] signed(MinisignKeyPair key, byte[] page, String project, long serial, long expiresIn) {
        return new KeySigner(key.secretKey(), null).sign(page, new PageComment(project, serial, NOW_SECONDS + expiresIn).render(NOW_SECONDS));
    }

    private PageRefusal refusal(byte[] signature, byte[] page, PageHistory known) {
        return catchThrowableOfType(PageRefusedException.class,
                () -> verifier.begin("six", signature, NOW, known).finish(page)).reason();
    }

    @Test
    void acceptsAPageSignedForItsProjectAndSaysWhatToRemember() throws Exception {
        VerifiedPage page = verifier.begin("six", signed(pageKey, PAGE, "six", 3, 3600), NOW, null).finish(PAGE);
        assertThat(page.comment()).isEqualTo(new PageComment("six", 3, NOW_SECONDS + 3600));
        assertThat(page.keyId()).isEqualTo(pageKey.publicKey().keyId());
        assertThat(page.history()).isEqualTo(new PageHistory(3, PageVerifier.sha256Hex(PAGE)));
    }

    @Test
    void refusesBeforeThePageIsFetchedWhenTheCommentAlreadyFails() throws Exception {
        // begin() alone decides these: the page bytes are never needed.
        assertThat(catchThrowableOfType(PageRefusedException.class,
                () -> verifier.begin("six", signed(pageKey, PAGE, "seven", 3, 3600), NOW, null)).reason())
                .isEqualTo(PageRefusal.WRONG_PROJECT);
        assertThat(catchThrowableOfType(PageRefusedException.class,
                () -> verifier.begin("six", signed(pageKey, PAGE, "six", 3, -3600), NOW, null)).reason())
                .isEqualTo(PageRefusal.EXPIRED);
        assertThat(catchThrowableOfType(PageRefusedException.class,
                () -> verifier.begin("six", signed(pageKey, PAGE, "six", 3, 3600), NOW, new PageHistory(4, "0".repeat(64))))
                .reason()).isEqualTo(PageRefusal.ROLLBACK);
    }

    @Test
    void refusesAPageWhoseBytesWereChanged() {
        byte[] tampered = PAGE.clone();
        tampered[tampered.length - 3] ^= 1;
        assertThat(refusal(signed(pageKey, PAGE, "six", 3, 3600), tampered, null)).isEqualTo(PageRefusal.BAD_SIGNATURE);
    }

    @Test
    void refusesTheSameSerialWithOtherBytes() {
        PageHistory known = new PageHistory(3, PageVerifier.sha256Hex(PAGE));
        byte[] other = "{\"meta\":{\"api-version\":\"1.1\"},\"name\":\"six\",\"files\":[],\"x\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(refusal(signed(pageKey, other, "six", 3, 3600), other, known)).isEqualTo(PageRefusal.EQUIVOCATION);
    }

    @Test
    void refusesKeysThatAreNotTrustedForPagesOrAreRevoked() {
        MinisignKeyPair stranger = MinisignKeyPair.generate(RANDOM);
        assertThat(refusal(signed(stranger, PAGE, "six", 3, 3600), PAGE, null)).isEqualTo(PageRefusal.BAD_SIGNATURE);
        PageVerifier revoking = new PageVerifier(keyring(Set.of(pageKey.publicKey().keyId()), pageKey), PagePolicy.DEFAULT);
        assertThat(catchThrowableOfType(PageRefusedException.class,
                () -> revoking.begin("six", signed(pageKey, PAGE, "six", 3, 3600), NOW, null)).getMessage()).contains("revoked");
    }

    @Test
    void refusesAnArtifactSignatureOfferedAsAPageSignature() throws Exception {
        byte[] artifactSignature = MinisignSigner.sign(pageKey.secretKey(), new ByteArrayInputStream(PAGE),
                "six-1.0-py3-none-any.whl", null, null).encode();
        assertThat(refusal(artifactSignature, PAGE, null)).isEqualTo(PageRefusal.MALFORMED);
        byte[] namedIndexJsonButNoPageFields = MinisignSigner.sign(pageKey.secretKey(), new ByteArrayInputStream(PAGE),
                "index.json", null, null).encode();
        assertThat(refusal(namedIndexJsonButNoPageFields, PAGE, null)).isEqualTo(PageRefusal.MALFORMED);
    }

    @Test
    void refusesAMalformedSignatureFile() {
        assertThat(refusal("not a signature\n".getBytes(StandardCharsets.UTF_8), PAGE, null)).isEqualTo(PageRefusal.BAD_SIGNATURE);
        assertThat(refusal(new byte[0], PAGE, null)).isEqualTo(PageRefusal.BAD_SIGNATURE);
    }

    @Test
    void aKeyLimitedToOtherProjectsCannotSignThisProjectsPage() {
        TrustedKey limited = new TrustedKey(pageKey.publicKey(), false, 0, List.of("internal-*"));
        PageVerifier scoped = new PageVerifier(new Keyring(List.of(limited), Set.of(), FileNamePolicy.REQUIRE), PagePolicy.DEFAULT);
        assertThat(catchThrowableOfType(PageRefusedException.class,
                () -> scoped.begin("six", signed(pageKey, PAGE, "six", 3, 3600), NOW, null)).reason())
                .isEqualTo(PageRefusal.BAD_SIGNATURE);
    }
}
