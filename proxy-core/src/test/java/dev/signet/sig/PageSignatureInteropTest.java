package dev.signet.sig;

import dev.signet.publish.KeySigner;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.pages.PageComment;
import dev.signet.pages.PagePolicy;
import dev.signet.pages.PageVerifier;
import dev.signet.pages.VerifiedPage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Page signatures (docs/signed-index.md) interoperate with the reference minisign in both directions. */
class PageSignatureInteropTest {

    private static final byte[] PAGE = "{\"meta\":{\"api-version\":\"1.1\"},\"name\":\"six\",\"files\":[]}\n"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private MinisignCli minisign;

    @BeforeEach
    void setUp() {
        minisign = new MinisignCli(dir);
    }

    @Test
    void minisignVerifiesOurPageSignatureAndShowsTheSignedFields() throws Exception {
        MinisignKeyPair pair = Fixtures.newKeyPair();
        long expires = System.currentTimeMillis() / 1000 + 86400;
        Files.write(dir.resolve("index.json"), PAGE);
        Files.write(dir.resolve("index.json.minisig"),
                new KeySigner(pair.secretKey(), null).sign(PAGE, new PageComment("six", 12, expires).render(1_700_000_000L)));
        MinisignCli.Result result = minisign.run(null, "-V", "-P", pair.publicKey().encoded(), "-m", "index.json")
                .assertSuccess();
        assertThat(result.output()).contains("signet-page:1\tproject:six\tserial:12\texpires:" + expires);
    }

    @Test
    void aPageSignedByMinisignWithAPageCommentVerifies() throws Exception {
        minisign.generateUnencrypted("k");
        long expires = System.currentTimeMillis() / 1000 + 86400;
        Files.write(dir.resolve("index.json"), PAGE);
        String comment = new PageComment("six", 3, expires).render(1_700_000_000L);
        minisign.run(null, "-S", "-s", "k.key", "-m", "index.json", "-t", comment).assertSuccess();
        MinisignPublicKey key = MinisignPublicKey.parse(minisign.read("k.pub"));
        PageVerifier verifier = new PageVerifier(new Keyring(java.util.List.of(TrustedKey.of(key)), Set.of(),
                FileNamePolicy.REQUIRE), PagePolicy.DEFAULT);
        VerifiedPage page = verifier.begin("six", Files.readAllBytes(dir.resolve("index.json.minisig")),
                System.currentTimeMillis(), null).finish(PAGE);
        assertThat(page.comment().serial()).isEqualTo(3);
    }
}
