package dev.signet.sig;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compatibility with the real minisign 0.11 binary, in both directions. */
class MinisignInteropTest {

    private static final String FILE = "demo-1.0.tar.gz";

    @TempDir
    Path dir;

    private MinisignCli minisign;
    private byte[] artifact;

    @BeforeEach
    void setUp() throws IOException {
        minisign = new MinisignCli(dir);
        artifact = Fixtures.artifact(300_001);
        Files.write(dir.resolve(FILE), artifact);
    }

    @Test
    void keyringVerifiesMinisignPrehashedSignature() throws Exception {
        minisign.generateUnencrypted("k");
        minisign.run(null, "-S", "-s", "k.key", "-m", FILE).assertSuccess();
        MinisignPublicKey key = MinisignPublicKey.parse(minisign.read("k.pub"));

        VerificationResult result = verify(List.of(TrustedKey.of(key)), Files.readAllBytes(dir.resolve(FILE + ".minisig")));

        assertThat(result.algorithm()).isEqualTo(SignatureAlgorithm.PREHASHED);
        assertThat(result.keyId()).isEqualTo(key.keyId());
        assertThat(result.length()).isEqualTo(artifact.length);
        assertThat(result.trustedComment()).matches("timestamp:\\d+\tfile:" + FILE.replace(".", "\\.") + "\thashed");
    }

    @Test
    void keyringVerifiesMinisignLegacySignatureWhenTheKeyAllowsIt() throws Exception {
        minisign.generateUnencrypted("k");
        minisign.run(null, "-S", "-l", "-s", "k.key", "-m", FILE).assertSuccess();
        MinisignPublicKey key = MinisignPublicKey.parse(minisign.read("k.pub"));

        VerificationResult result = verify(List.of(new TrustedKey(key, true, 1 << 20, List.of())),
                Files.readAllBytes(dir.resolve(FILE + ".minisig")));

        assertThat(result.algorithm()).isEqualTo(SignatureAlgorithm.LEGACY);
        assertThat(result.trustedComment()).matches("timestamp:\\d+\tfile:" + FILE.replace(".", "\\."));
    }

    @Test
    void parsedMinisignSignatureEncodesToTheSameBytes() throws Exception {
        minisign.generateUnencrypted("k");
        minisign.run(null, "-S", "-s", "k.key", "-m", FILE, "-c", "made by minisign", "-t", "a\tb").assertSuccess();
        byte[] file = Files.readAllBytes(dir.resolve(FILE + ".minisig"));

        MinisignSignature signature = MinisignSignature.parse(file);

        assertThat(signature.encode()).isEqualTo(file);
        assertThat(signature.untrustedComment()).isEqualTo("made by minisign");
        assertThat(signature.trustedComment()).isEqualTo("a\tb");
        assertThat(signature.trustedFileName()).isEmpty();
    }

    @Test
    void parsedMinisignPublicKeyFileMatchesWhatMinisignWrites() throws Exception {
        minisign.generateUnencrypted("k");
        String pubFile = minisign.read("k.pub");

        MinisignPublicKey key = MinisignPublicKey.parse(pubFile);

        // minisign 0.11 (Debian's) prints the id in the comment without leading zeros, 0.12 zero-pads it; the
        // comment is untrusted either way, so compare the id by value and the key line byte for byte.
        String[] lines = pubFile.split("\n", -1);
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("untrusted comment: minisign public key ");
        assertThat(KeyId.parseHex(lines[0].substring("untrusted comment: minisign public key ".length())))
                .isEqualTo(key.keyId());
        assertThat(lines[1]).isEqualTo(key.encoded());
        assertThat(key.toFileText()).endsWith("\n" + lines[1] + "\n");
        assertThat(MinisignPublicKey.parse(key.toFileText())).isEqualTo(key);
        assertThat(MinisignPublicKey.parse(key.encoded())).isEqualTo(key);
    }

    @Test
    void minisignVerifiesOurPrehashedSignatureWithOurPublicKeyFile() throws Exception {
        MinisignKeyPair pair = Fixtures.newKeyPair();
        Files.writeString(dir.resolve("ours.pub"), pair.publicKey().toFileText());
        try (InputStream in = Files.newInputStream(dir.resolve(FILE))) {
            Files.write(dir.resolve(FILE + ".minisig"), MinisignSigner.sign(pair.secretKey(), in, FILE, null, null).encode());
        }

        MinisignCli.Result result = minisign.run(null, "-V", "-p", "ours.pub", "-m", FILE).assertSuccess();

        assertThat(result.output()).contains("Signature and comment signature verified")
                .containsPattern("Trusted comment: timestamp:\\d+\tfile:" + FILE.replace(".", "\\.") + "\thashed");
    }

    @Test
    void minisignVerifiesOurLegacySignatureWithOurEncodedPublicKey() throws Exception {
        MinisignKeyPair pair = Fixtures.newKeyPair();
        Files.write(dir.resolve(FILE + ".minisig"),
                MinisignSigner.signLegacy(pair.secretKey(), artifact, FILE, "legacy test").encode());

        MinisignCli.Result result = minisign.run(null, "-V", "-P", pair.publicKey().encoded(), "-m", FILE)
                .assertSuccess();

        assertThat(result.output()).contains("Trusted comment: legacy test");
    }

    @Test
    void minisignRejectsOurSignatureOfATamperedFile() throws Exception {
        MinisignKeyPair pair = Fixtures.newKeyPair();
        Files.write(dir.resolve(FILE + ".minisig"), Fixtures.sign(pair, artifact, null).encode());
        artifact[1234] ^= 1;
        Files.write(dir.resolve(FILE), artifact);

        MinisignCli.Result result = minisign.run(null, "-V", "-P", pair.publicKey().encoded(), "-m", FILE);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("Signature verification failed");
    }

    @Test
    void minisignUnencryptedSecretKeyLoadsAndSignsFilesMinisignVerifies() throws Exception {
        minisign.generateUnencrypted("k");
        String secretFile = minisign.read("k.key");
        MinisignPublicKey publicKey = MinisignPublicKey.parse(minisign.read("k.pub"));

        assertThat(MinisignSecretKey.isEncrypted(secretFile)).isFalse();
        MinisignSecretKey secretKey = MinisignSecretKey.parse(secretFile, null);
        assertThat(secretKey.keyId()).isEqualTo(publicKey.keyId());
        assertThat(secretKey.publicKey()).isEqualTo(publicKey);
        try (InputStream in = Files.newInputStream(dir.resolve(FILE))) {
            Files.write(dir.resolve(FILE + ".minisig"), MinisignSigner.sign(secretKey, in, FILE, null, null).encode());
        }

        minisign.run(null, "-V", "-p", "k.pub", "-m", FILE).assertSuccess();
    }

    @Test
    void ourUnencryptedSecretKeyLoadsIntoMinisign() throws Exception {
        MinisignKeyPair pair = Fixtures.newKeyPair();
        Files.writeString(dir.resolve("ours.key"), pair.secretKey().toFileText(null));

        minisign.run(null, "-S", "-s", "ours.key", "-m", FILE).assertSuccess();

        assertThat(verify(List.of(TrustedKey.of(pair.publicKey())), Files.readAllBytes(dir.resolve(FILE + ".minisig")))
                .keyId()).isEqualTo(pair.publicKey().keyId());
    }

    @Test
    void ourEncryptedSecretKeyIsDecryptedByMinisign() throws Exception {
        MinisignKeyPair pair = Fixtures.newKeyPair();
        Files.writeString(dir.resolve("ours.key"), pair.secretKey().toFileText("correct horse".toCharArray(),
                MinisignSecretKeyTest.SMALL_OPSLIMIT, MinisignSecretKeyTest.SMALL_MEMLIMIT, new SecureRandom()));

        minisign.run("correct horse\n", "-S", "-s", "ours.key", "-m", FILE).assertSuccess();

        assertThat(verify(List.of(TrustedKey.of(pair.publicKey())), Files.readAllBytes(dir.resolve(FILE + ".minisig")))
                .keyId()).isEqualTo(pair.publicKey().keyId());
    }

    @Test
    void minisignRefusesOurEncryptedSecretKeyWithAWrongPassword() throws Exception {
        MinisignKeyPair pair = Fixtures.newKeyPair();
        Files.writeString(dir.resolve("ours.key"), pair.secretKey().toFileText("correct horse".toCharArray(),
                MinisignSecretKeyTest.SMALL_OPSLIMIT, MinisignSecretKeyTest.SMALL_MEMLIMIT, new SecureRandom()));

        MinisignCli.Result result = minisign.run("battery staple\n", "-S", "-s", "ours.key", "-m", FILE);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("Wrong password");
    }

    @Test
    void minisignReencryptedKeyKeepsTheLayoutWeRead() throws Exception {
        // minisign -C re-encrypts with its own defaults (scrypt over 1 GiB, too much for the test heap), so read back
        // the unencrypted form it writes with -C -W after decrypting our small-parameter key.
        MinisignKeyPair pair = Fixtures.newKeyPair();
        Files.writeString(dir.resolve("ours.key"), pair.secretKey().toFileText("pw".toCharArray(),
                MinisignSecretKeyTest.SMALL_OPSLIMIT, MinisignSecretKeyTest.SMALL_MEMLIMIT, new SecureRandom()));

        minisign.run("pw\n", "-C", "-W", "-s", "ours.key").assertSuccess();

        String rewritten = minisign.read("ours.key");
        assertThat(MinisignSecretKey.isEncrypted(rewritten)).isFalse();
        assertThat(MinisignSecretKey.parse(rewritten, null).publicKey()).isEqualTo(pair.publicKey());
    }

    private VerificationResult verify(List<TrustedKey> keys, byte[] signatureFile) throws VerificationException {
        Keyring keyring = new Keyring(keys, Set.of(), FileNamePolicy.REQUIRE);
        ArtifactVerification verification = keyring.begin("demo", FILE, signatureFile);
        verification.update(artifact, 0, artifact.length);
        return verification.finish();
    }
}
