package dev.signet.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.index.DistributionFile;
import dev.signet.sig.MinisignKeyPair;
import dev.signet.sig.MinisignSignature;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signing origin's tree: files signed once for ever, pages re-signed only when they change or near expiry. */
class MirrorPublisherTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private final KeySigner signer = KeySigner.bindingSha256(MinisignKeyPair.generate(new SecureRandom()).secretKey(),
            "test");

    private MirrorPublisher open(Instant now) throws Exception {
        return MirrorPublisher.open(dir.resolve("tree"), PublishOptions.withKey(signer)
                .withExpires(Duration.ofDays(1)).withClock(InstantSource.fixed(now)));
    }

    private static DistributionFile file(String name, String sha256) {
        return new DistributionFile(name, URI.create("https://files.example/" + name), Map.of("sha256", sha256),
                null, null, null, 3L, "2024-01-02T03:04:05.000000Z", null);
    }

    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    @Test
    void anUnchangedPageKeepsItsSignatureAndAChangedOneGetsAHigherSerialAcrossRestarts() throws Exception {
        MirrorPublisher first = open(T0);
        MirroredPage page = first.page("demo", List.of(file("demo-1.0-py3-none-any.whl", SHA_A)), Duration.ofHours(6));
        assertThat(page.comment().expiresEpochSeconds()).isEqualTo(T0.getEpochSecond() + 86_400);
        MirroredPage again = first.page("demo", List.of(file("demo-1.0-py3-none-any.whl", SHA_A)), Duration.ofHours(6));
        assertThat(again.signature()).isEqualTo(page.signature());

        MirrorPublisher restarted = open(T0.plusSeconds(60));
        assertThat(restarted.published("demo").orElseThrow().signature()).isEqualTo(page.signature());
        MirroredPage changed = restarted.page("demo", List.of(file("demo-1.0-py3-none-any.whl", SHA_A),
                file("demo-1.1-py3-none-any.whl", SHA_B)), Duration.ofHours(6));
        assertThat(changed.comment().serial()).isGreaterThan(page.comment().serial());
        assertThat(new String(changed.json(), StandardCharsets.UTF_8)).contains("demo-1.1-py3-none-any.whl");
    }

    @Test
    void aPageNearItsExpiryIsReSignedWithTheSameBytesAndAHigherSerial() throws Exception {
        List<DistributionFile> files = List.of(file("demo-1.0-py3-none-any.whl", SHA_A));
        MirroredPage page = open(T0).page("demo", files, Duration.ofHours(6));
        MirroredPage early = open(T0.plus(Duration.ofHours(17))).page("demo", files, Duration.ofHours(6));
        assertThat(early.signature()).isEqualTo(page.signature());
        MirroredPage refreshed = open(T0.plus(Duration.ofHours(19))).page("demo", files, Duration.ofHours(6));
        assertThat(refreshed.json()).isEqualTo(page.json());
        assertThat(refreshed.comment().serial()).isGreaterThan(page.comment().serial());
        assertThat(refreshed.comment().expiresEpochSeconds()).isGreaterThan(page.comment().expiresEpochSeconds());
    }

    @Test
    void aFileIsSignedOnceWithItsNameAndSha256AndNeverAgain() throws Exception {
        MirrorPublisher mirror = open(T0);
        String name = "demo-1.0-py3-none-any.whl";
        byte[] bytes = "abc".getBytes(StandardCharsets.US_ASCII);
        Path temp = Files.write(mirror.newTemp(name), bytes);
        FileDigests digests = FileCopy.digestsOf(bytes);
        mirror.publishFile(name, temp, digests);
        assertThat(mirror.isPublished(name)).isTrue();
        byte[] signature = Files.readAllBytes(mirror.signature(name));
        assertThat(MinisignSignature.parse(signature).trustedComment())
                .contains("\tfile:" + name + "\t").contains("\tsha256:" + digests.sha256Hex() + "\t");

        Path second = Files.write(mirror.newTemp(name), bytes);
        open(T0.plusSeconds(5)).publishFile(name, second, digests);
        assertThat(Files.readAllBytes(mirror.signature(name))).isEqualTo(signature);
        assertThat(second).doesNotExist();
    }
}
