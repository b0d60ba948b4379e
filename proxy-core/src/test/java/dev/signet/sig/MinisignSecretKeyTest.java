package dev.signet.sig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.junit.jupiter.api.Test;

class MinisignSecretKeyTest {

    /** libsodium's minimum limits: scrypt N=2^10, r=8, p=1, about 1 MiB and a few milliseconds. */
    static final long SMALL_OPSLIMIT = 32_768;
    static final long SMALL_MEMLIMIT = 16_777_216;

    private final MinisignKeyPair pair = Fixtures.newKeyPair();

    @Test
    void unencryptedKeyRoundTrips() throws Exception {
        String text = pair.secretKey().toFileText(null);

        assertThat(MinisignSecretKey.isEncrypted(text)).isFalse();
        MinisignSecretKey parsed = MinisignSecretKey.parse(text, null);
        assertThat(parsed.keyId()).isEqualTo(pair.secretKey().keyId());
        assertThat(parsed.publicKey()).isEqualTo(pair.publicKey());
    }

    @Test
    void unencryptedKeyHasMinisignWLayout() throws Exception {
        byte[] raw = decodeKeyLine(pair.secretKey().toFileText(null));

        assertThat(raw).hasSize(158);
        assertThat(new String(raw, 0, 2, StandardCharsets.US_ASCII)).isEqualTo("Ed");
        assertThat(raw[2]).isZero();
        assertThat(raw[3]).isZero();
        assertThat(new String(raw, 4, 2, StandardCharsets.US_ASCII)).isEqualTo("B2");
        for (int i = 6; i < 54; i++) {
            assertThat(raw[i]).as("salt and limits are zero, byte %d", i).isZero();
        }
        assertThat(KeyId.fromBytes(raw, 54)).isEqualTo(pair.publicKey().keyId());
        for (int i = 126; i < 158; i++) {
            assertThat(raw[i]).as("checksum is zero, as minisign -W writes it, byte %d", i).isZero();
        }
    }

    @Test
    void encryptedKeyRoundTripsWithThePassword() throws Exception {
        String text = encrypted("s3cret-ü");

        assertThat(MinisignSecretKey.isEncrypted(text)).isTrue();
        assertThat(MinisignSecretKey.parse(text, "s3cret-ü".toCharArray()).publicKey()).isEqualTo(pair.publicKey());
    }

    @Test
    void encryptedKeyStoresItsScryptLimitsLittleEndian() throws Exception {
        byte[] raw = decodeKeyLine(encrypted("pw"));

        assertThat(new String(raw, 2, 2, StandardCharsets.US_ASCII)).isEqualTo("Sc");
        assertThat(LittleEndian.readLong(raw, 38)).isEqualTo(SMALL_OPSLIMIT);
        assertThat(LittleEndian.readLong(raw, 46)).isEqualTo(SMALL_MEMLIMIT);
    }

    @Test
    void wrongPasswordIsRefused() {
        String text = encrypted("right");

        assertThatThrownBy(() -> MinisignSecretKey.parse(text, "wrong".toCharArray()))
                .isInstanceOf(SignatureFormatException.class)
                .hasMessage("wrong password or corrupt key (checksum mismatch)");
    }

    @Test
    void encryptedKeyWithoutPasswordIsRefused() {
        String text = encrypted("right");

        assertThatThrownBy(() -> MinisignSecretKey.parse(text, null))
                .isInstanceOf(SignatureFormatException.class)
                .hasMessage("secret key is encrypted; a password is required");
    }

    @Test
    void corruptedUnencryptedKeyIsRefusedAsInconsistent() {
        byte[] raw = decodeKeyLine(pair.secretKey().toFileText(null));
        raw[100] ^= 1;

        assertThatThrownBy(() -> MinisignSecretKey.parse(keyFile(raw), null))
                .hasMessage("secret key is inconsistent: its public half does not match its seed");
    }

    @Test
    void unencryptedKeyWithAWrongNonZeroChecksumIsRefused() {
        byte[] raw = decodeKeyLine(pair.secretKey().toFileText(null));
        raw[130] = 1;

        assertThatThrownBy(() -> MinisignSecretKey.parse(keyFile(raw), null))
                .hasMessage("secret key is corrupt (checksum mismatch)");
    }

    @Test
    void unencryptedKeyWithARealChecksumIsAccepted() throws Exception {
        byte[] raw = decodeKeyLine(pair.secretKey().toFileText(null));
        rewriteChecksum(raw);

        assertThat(MinisignSecretKey.parse(keyFile(raw), null).publicKey()).isEqualTo(pair.publicKey());
    }

    @Test
    void keyWhosePublicHalfDisagreesWithItsSeedIsRefused() {
        MinisignKeyPair other = Fixtures.newKeyPair();
        byte[] raw = decodeKeyLine(pair.secretKey().toFileText(null));
        System.arraycopy(other.publicKey().keyBytes(), 0, raw, 54 + 8 + 32, 32);
        rewriteChecksum(raw);

        assertThatThrownBy(() -> MinisignSecretKey.parse(keyFile(raw), null))
                .hasMessage("secret key is inconsistent: its public half does not match its seed");
    }

    @Test
    void unknownKeyDerivationFunctionIsRefused() {
        byte[] raw = decodeKeyLine(pair.secretKey().toFileText(null));
        raw[2] = 'A';
        raw[3] = '2';

        assertThatThrownBy(() -> MinisignSecretKey.parse(keyFile(raw), null))
                .hasMessage("secret key derivation function must be \"Sc\" (scrypt) or none, found 0x4132");
    }

    @Test
    void unknownChecksumAlgorithmIsRefused() {
        byte[] raw = decodeKeyLine(pair.secretKey().toFileText(null));
        raw[5] = '3';

        assertThatThrownBy(() -> MinisignSecretKey.parse(keyFile(raw), null))
                .hasMessage("secret key checksum algorithm must be \"B2\" (BLAKE2b), found 0x4233");
    }

    @Test
    void wrongSignatureAlgorithmIsRefused() {
        byte[] raw = decodeKeyLine(pair.secretKey().toFileText(null));
        raw[1] = 'D';

        assertThatThrownBy(() -> MinisignSecretKey.parse(keyFile(raw), null))
                .hasMessage("secret key signature algorithm must be \"Ed\", found 0x4544");
    }

    @Test
    void wrongLengthIsRefused() {
        byte[] raw = Arrays.copyOf(decodeKeyLine(pair.secretKey().toFileText(null)), 157);

        assertThatThrownBy(() -> MinisignSecretKey.parse(keyFile(raw), null))
                .hasMessage("secret key decodes to 157 bytes, expected 158");
    }

    @Test
    void missingCommentLineIsRefused() {
        String keyLine = pair.secretKey().toFileText(null).split("\n")[1];

        assertThatThrownBy(() -> MinisignSecretKey.parse(keyLine + "\n", null))
                .hasMessage("secret key file must have exactly 2 lines, found 1");
    }

    @Test
    void scryptLimitsStrongerThanMinisignsDefaultsAreRefused() {
        byte[] raw = decodeKeyLine(encrypted("pw"));
        LittleEndian.writeLong(raw, 38, ScryptKdf.MINISIGN_OPSLIMIT * 4);
        LittleEndian.writeLong(raw, 46, ScryptKdf.MINISIGN_MEMLIMIT * 4);

        assertThatThrownBy(() -> MinisignSecretKey.parse(keyFile(raw), "pw".toCharArray()))
                .hasMessage("secret key scrypt parameters N=2^22 r=8 p=1 exceed minisign's defaults (N=2^20 r=8 p=1)");
    }

    @Test
    void minisignDefaultLimitsNeedMoreHeapThanIsFreeGiveAClearMessage() {
        assertThatThrownBy(() -> ScryptKdf.derive(new byte[1], new byte[32], ScryptKdf.MINISIGN_OPSLIMIT,
                ScryptKdf.MINISIGN_MEMLIMIT, 104, 900L << 20))
                .isInstanceOf(SignatureFormatException.class)
                .hasMessage("decrypting this secret key needs 1024 MiB for scrypt but only 900 MiB of heap is free;"
                        + " raise the JVM heap (-Xmx)");
    }

    @Test
    void minisignDefaultLimitsPickTheParametersLibsodiumPicks() {
        assertThat(ScryptKdf.pick(ScryptKdf.MINISIGN_OPSLIMIT, ScryptKdf.MINISIGN_MEMLIMIT))
                .isEqualTo(new ScryptKdf.Parameters(20, 8, 1));
        assertThat(ScryptKdf.pick(SMALL_OPSLIMIT, SMALL_MEMLIMIT)).isEqualTo(new ScryptKdf.Parameters(10, 8, 1));
        // opslimit-bound branch: N from memlimit, p from what the remaining ops allow
        assertThat(ScryptKdf.pick(1L << 24, 1L << 24)).isEqualTo(new ScryptKdf.Parameters(14, 8, 32));
    }

    @Test
    void keyFromFileSignsLikeTheOriginal() throws Exception {
        MinisignSecretKey parsed = MinisignSecretKey.parse(encrypted("pw"), "pw".toCharArray());
        byte[] data = Fixtures.artifact(1000);

        MinisignSignature signature = MinisignSigner.sign(parsed, new ByteArrayInputStream(data), "x.whl", null, null);

        ArtifactVerification verification = Fixtures.keyring(pair).begin("x", "x.whl", signature.encode());
        verification.update(data, 0, data.length);
        assertThat(verification.finish().keyId()).isEqualTo(pair.publicKey().keyId());
    }

    private String encrypted(String password) {
        return pair.secretKey().toFileText(password.toCharArray(), SMALL_OPSLIMIT, SMALL_MEMLIMIT, new SecureRandom());
    }

    private static byte[] decodeKeyLine(String fileText) {
        return Base64.getDecoder().decode(fileText.split("\n")[1]);
    }

    private static String keyFile(byte[] raw) {
        return "untrusted comment: test\n" + Base64.getEncoder().encodeToString(raw) + "\n";
    }

    private static void rewriteChecksum(byte[] raw) {
        Blake2bDigest digest = new Blake2bDigest(256);
        digest.update(raw, 0, 2);
        digest.update(raw, 54, 8 + 64);
        digest.doFinal(raw, 54 + 8 + 64);
    }
}
