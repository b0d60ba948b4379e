package dev.signet.publish;

import dev.signet.pages.PageComment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.sig.ArtifactVerification;
import dev.signet.sig.FileNamePolicy;
import dev.signet.sig.Keyring;
import dev.signet.sig.MinisignKeyPair;
import dev.signet.sig.MinisignSignature;
import dev.signet.sig.TrustedKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexPublisherTest {
    private static final MinisignKeyPair KEY = MinisignKeyPair.generate(new SecureRandom());
    private static final Keyring KEYRING =
            new Keyring(List.of(TrustedKey.of(KEY.publicKey())), Set.of(), FileNamePolicy.REQUIRE);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path in;
    Path out;
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeEach
    void paths() {
        in = dir.resolve("in");
        out = dir.resolve("out");
    }

    private IndexPublisher publisher() {
        InstantSource clock = () -> now;
        return new IndexPublisher(out, PublishOptions.withKey(new KeySigner(KEY.secretKey(), null)).withClock(clock));
    }

    private PublishResult publish(Path... files) throws Exception {
        return publisher().publish(PublishRequest.add(List.of(files)));
    }

    @Test
    void writesTheLayoutOfTheSpecWithSignedPagesFilesAndMetadata() throws Exception {
        Path wheel = TestWheels.wheel(in, "Foo.Bar", "1.0", ">=3.8");
        Path sdist = TestWheels.sdist(in, "foo_bar-1.0.tar.gz");
        publish(wheel, sdist);

        String file = "Foo.Bar-1.0-py3-none-any.whl";
        assertThat(out.resolve("simple/index.html")).content().contains("<a href=\"foo-bar/\">foo-bar</a>");
        JsonNode page = JSON.readTree(out.resolve("simple/foo-bar/index.json").toFile());
        assertThat(page.at("/meta/api-version").asText()).isEqualTo("1.1");
        assertThat(page.get("name").asText()).isEqualTo("foo-bar");
        assertThat(page.get("versions").toString()).isEqualTo("[\"1.0\"]");
        JsonNode wheelEntry = page.at("/files/0");
        assertThat(wheelEntry.get("filename").asText()).isEqualTo(file);
        assertThat(wheelEntry.get("url").asText()).isEqualTo("../../packages/" + file);
        assertThat(wheelEntry.at("/hashes/sha256").asText()).isEqualTo(sha256(out.resolve("packages/" + file)));
        assertThat(wheelEntry.get("size").asLong()).isEqualTo(Files.size(wheel));
        assertThat(wheelEntry.get("upload-time").asText()).isEqualTo("2026-01-01T00:00:00.000000Z");
        assertThat(wheelEntry.get("requires-python").asText()).isEqualTo(">=3.8");
        assertThat(wheelEntry.at("/core-metadata/sha256").asText())
                .isEqualTo(sha256(out.resolve("packages/" + file + ".metadata")));
        assertThat(Files.readAllBytes(out.resolve("packages/" + file + ".metadata")))
                .isEqualTo(TestWheels.metadata("Foo.Bar", "1.0", ">=3.8").getBytes(StandardCharsets.UTF_8));
        assertThat(page.at("/files/1/filename").asText()).isEqualTo("foo_bar-1.0.tar.gz");
        assertThat(page.at("/files/1/core-metadata").asBoolean()).isFalse();
        assertThat(out.resolve("packages/foo_bar-1.0.tar.gz.metadata")).doesNotExist();
        assertThat(out.resolve("simple/foo-bar/index.html")).content()
                .contains("<a href=\"../../packages/" + file + "#sha256=" + sha256(out.resolve("packages/" + file))
                        + "\" data-requires-python=\"&gt;=3.8\" data-core-metadata=\"sha256=");

        for (String published : List.of(file, file + ".metadata", "foo_bar-1.0.tar.gz")) {
            verify("foo-bar", published, out.resolve("packages/" + published));
        }
        PageComment comment = pageComment("foo-bar");
        assertThat(comment.project()).isEqualTo("foo-bar");
        assertThat(comment.expiresEpochSeconds()).isEqualTo(now.plus(Duration.ofDays(7)).getEpochSecond());
        verify("foo-bar", "index.json", out.resolve("simple/foo-bar/index.json"));
        try (Stream<Path> all = Files.walk(out)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"))
                    .doesNotContain(".signet-publish-journal");
        }
    }

    @Test
    void addingAFileKeepsEveryExistingSignatureAndUploadTimeAndBumpsOnlyThatProjectsSerial() throws Exception {
        publish(TestWheels.wheel(in, "alpha", "1.0", null), TestWheels.wheel(in, "beta", "1.0", null));
        Map<Path, byte[]> before = snapshot();
        long alphaSerial = pageComment("alpha").serial();
        long betaSerial = pageComment("beta").serial();

        now = now.plusSeconds(3600);
        PublishResult result = publish(TestWheels.wheel(dir.resolve("in2"), "alpha", "1.1", null));

        assertThat(result.serials()).containsOnlyKeys("alpha");
        assertThat(pageComment("alpha").serial()).isGreaterThan(alphaSerial);
        assertThat(pageComment("beta").serial()).isEqualTo(betaSerial);
        Map<Path, byte[]> after = snapshot();
        before.forEach((path, bytes) -> {
            if (path.startsWith("packages") || path.startsWith(Path.of("simple", "beta"))) {
                assertThat(after.get(path)).as(path.toString()).isEqualTo(bytes);
            }
        });
        JsonNode page = JSON.readTree(out.resolve("simple/alpha/index.json").toFile());
        assertThat(page.at("/files/0/upload-time").asText()).isEqualTo("2026-01-01T00:00:00.000000Z");
        assertThat(page.at("/files/1/upload-time").asText()).isEqualTo("2026-01-01T01:00:00.000000Z");
        assertThat(page.get("versions").toString()).isEqualTo("[\"1.0\",\"1.1\"]");
    }

    @Test
    void linkInputsPublishesTheInputFileItselfSignedAndListedAsACopyWouldBe() throws Exception {
        Path wheel = TestWheels.wheel(in, "alpha", "1.0", ">=3.9");
        InstantSource clock = () -> now;
        new IndexPublisher(out, PublishOptions.withKey(new KeySigner(KEY.secretKey(), null)).withClock(clock)
                .withLinkInputs(true)).publish(PublishRequest.add(List.of(wheel)));

        String file = "alpha-1.0-py3-none-any.whl";
        Path published = out.resolve("packages/" + file);
        assertThat(Files.isSameFile(published, wheel)).as("one file, no bytes copied").isTrue();
        assertThat(Files.getAttribute(published, "unix:nlink")).isEqualTo(2);
        verify("alpha", file, published);
        verify("alpha", file + ".metadata", out.resolve("packages/" + file + ".metadata"));
        JsonNode page = JSON.readTree(out.resolve("simple/alpha/index.json").toFile());
        assertThat(page.at("/files/0/hashes/sha256").asText()).isEqualTo(sha256(wheel));
        assertThat(page.at("/files/0/requires-python").asText()).isEqualTo(">=3.9");
        verify("alpha", "index.json", out.resolve("simple/alpha/index.json"));
        try (Stream<Path> all = Files.walk(out)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }

    @Test
    void republishingTheSameFilesChangesNothing() throws Exception {
        Path wheel = TestWheels.wheel(in, "alpha", "1.0", null);
        publish(wheel);
        Map<Path, byte[]> before = snapshot();
        PublishResult again = publish(wheel);
        assertThat(again.unchanged()).isEqualTo(1);
        assertThat(again.serials()).isEmpty();
        assertThat(snapshot()).containsExactlyInAnyOrderEntriesOf(before);
    }

    @Test
    void yankMarksTheFileInJsonAndHtmlUnderANewSerial() throws Exception {
        publish(TestWheels.wheel(in, "alpha", "1.0", null));
        long serial = pageComment("alpha").serial();
        byte[] signature = Files.readAllBytes(out.resolve("packages/alpha-1.0-py3-none-any.whl.minisig"));

        publisher().publish(new PublishRequest(List.of(), Map.of("alpha-1.0-py3-none-any.whl", "broken <build>"),
                Optional.empty()));

        assertThat(pageComment("alpha").serial()).isGreaterThan(serial);
        JsonNode page = JSON.readTree(out.resolve("simple/alpha/index.json").toFile());
        assertThat(page.at("/files/0/yanked").asText()).isEqualTo("broken <build>");
        assertThat(out.resolve("simple/alpha/index.html")).content()
                .contains(" data-yanked=\"broken &lt;build&gt;\"");
        assertThat(Files.readAllBytes(out.resolve("packages/alpha-1.0-py3-none-any.whl.minisig"))).isEqualTo(signature);
        verify("alpha", "index.json", out.resolve("simple/alpha/index.json"));
    }

    @Test
    void refreshResignsOnlyPagesCloseToExpiryWithAHigherSerialAndTheSameBytes() throws Exception {
        publish(TestWheels.wheel(in, "old", "1.0", null));
        now = now.plus(Duration.ofDays(3));
        publish(TestWheels.wheel(in, "young", "1.0", null));
        byte[] oldPage = Files.readAllBytes(out.resolve("simple/old/index.json"));
        byte[] youngSignature = Files.readAllBytes(out.resolve("simple/young/index.json.minisig"));
        long oldSerial = pageComment("old").serial();

        now = now.plus(Duration.ofDays(2)); // old expires in 2 days, young in 5
        PublishResult result = publisher().publish(
                new PublishRequest(List.of(), Map.of(), Optional.of(Duration.ofDays(2))));

        assertThat(result.serials()).containsOnlyKeys("old");
        assertThat(result.refreshed()).isEqualTo(1);
        assertThat(pageComment("old").serial()).isGreaterThan(oldSerial);
        assertThat(pageComment("old").expiresEpochSeconds()).isEqualTo(now.plus(Duration.ofDays(7)).getEpochSecond());
        assertThat(Files.readAllBytes(out.resolve("simple/old/index.json"))).isEqualTo(oldPage);
        assertThat(Files.readAllBytes(out.resolve("simple/young/index.json.minisig"))).isEqualTo(youngSignature);
        verify("old", "index.json", out.resolve("simple/old/index.json"));
    }

    @Test
    void badInputsAreAllNamedAndNothingIsWritten() throws Exception {
        publish(TestWheels.wheel(in, "alpha", "1.0", null));
        Map<Path, byte[]> before = snapshot();
        Path bad = dir.resolve("bad");
        Path good = TestWheels.wheel(bad, "gamma", "1.0", null);
        Path badName = TestWheels.sdist(bad, "not-a-distribution.tar.gz");
        Path noMetadata = TestWheels.wheel(bad, "nometa-1.0-py3-none-any.whl", null);
        Path wrongName = TestWheels.wheel(bad, "wrong-1.0-py3-none-any.whl", TestWheels.metadata("other", "1.0", null));
        Path notZip = TestWheels.sdist(bad, "notzip-1.0-py3-none-any.whl");
        Path clash = TestWheels.wheel(bad, "Alpha-1.0-py3-none-any.whl", TestWheels.metadata("alpha", "1.0", null));
        Path changed = TestWheels.wheel(dir.resolve("changed"), "alpha-1.0-py3-none-any.whl",
                TestWheels.metadata("alpha", "1.0", ">=3"));

        assertThatThrownBy(() -> publish(good, badName, clash))
                .isInstanceOf(PublishException.class)
                .satisfies(e -> assertThat(((PublishException) e).problems()).containsExactlyInAnyOrder(
                        badName + ": not a valid wheel or sdist name: 'distribution' is not a valid version"
                                + " (PEP 440)",
                        clash + ": normalises to the same name as alpha-1.0-py3-none-any.whl"
                                + " (installers would see two copies of one file)"))
                .hasMessageContaining(badName.toString());
        assertThatThrownBy(() -> publish(good, noMetadata, wrongName, notZip, changed))
                .isInstanceOf(PublishException.class)
                .satisfies(e -> assertThat(((PublishException) e).problems()).containsExactlyInAnyOrder(
                        noMetadata + ": wheel has no metadata (no *.dist-info/METADATA)",
                        wrongName + ": broken wheel metadata: Name 'other' is not the project the file name says"
                                + " (wrong)",
                        ((PublishException) e).problems().stream().filter(p -> p.startsWith(notZip + ": not a readable"
                                + " wheel (zip)")).findFirst().orElse("no problem for " + notZip),
                        changed + ": alpha-1.0-py3-none-any.whl is published already with other bytes (published"
                                + " files are immutable; give it a new version or build number)"));

        assertThat(snapshot()).containsOnlyKeys(before.keySet());
        assertThatThrownBy(() -> publisher().publish(new PublishRequest(List.of(), Map.of("nope-1.0.tar.gz", ""),
                Optional.empty()))).hasMessage("nope-1.0.tar.gz: cannot yank, no such file in the index");
    }

    @Test
    void aSwitchDecidedByACrashedRunIsCompletedByTheNextRun() throws Exception {
        publish(TestWheels.wheel(in, "alpha", "1.0", null));
        // What a run leaves when it dies after writing its journal and renaming the page but not its signature.
        Path json = out.resolve("simple/alpha/index.json");
        Path signature = out.resolve("simple/alpha/index.json.minisig");
        byte[] newPage = Files.readString(json).replace("\"1.0\"]", "\"1.0\",\"1.0.1\"]").getBytes(StandardCharsets.UTF_8);
        byte[] newSignature = new KeySigner(KEY.secretKey(), null).sign(newPage,
                new PageComment("alpha", pageComment("alpha").serial() + 1, 2_000_000_000L).render(1));
        Path jsonTemp = Files.write(out.resolve("simple/alpha/.index.json-1.part"), newPage);
        Path signatureTemp = Files.write(out.resolve("simple/alpha/.index.json.minisig-1.part"), newSignature);
        Files.writeString(out.resolve(".signet-publish-journal"), out.relativize(jsonTemp) + "\t" + out.relativize(json)
                + "\n" + out.relativize(signatureTemp) + "\t" + out.relativize(signature) + "\n");
        Files.move(jsonTemp, json, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path stray = Files.writeString(out.resolve("packages/.beta-1.0-py3-none-any.whl-9.part"), "half");

        publish(); // nothing to add: only the recovery runs

        assertThat(Files.readAllBytes(json)).isEqualTo(newPage);
        assertThat(Files.readAllBytes(signature)).isEqualTo(newSignature);
        verify("alpha", "index.json", json);
        assertThat(out.resolve(".signet-publish-journal")).doesNotExist();
        assertThat(stray).doesNotExist();
    }

    private PageComment pageComment(String project) throws Exception {
        byte[] signature = Files.readAllBytes(out.resolve("simple/" + project + "/index.json.minisig"));
        return PageComment.parse(MinisignSignature.parse(signature).trustedComment(), project);
    }

    private void verify(String project, String fileName, Path file) throws Exception {
        byte[] signature = Files.readAllBytes(file.resolveSibling(file.getFileName() + ".minisig"));
        ArtifactVerification verification = KEYRING.begin(project, fileName, signature);
        byte[] bytes = Files.readAllBytes(file);
        verification.update(bytes, 0, bytes.length);
        verification.finish();
    }

    private Map<Path, byte[]> snapshot() throws IOException {
        Map<Path, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(out)) {
            for (Path path : all.filter(Files::isRegularFile).toList()) {
                files.put(out.relativize(path), Files.readAllBytes(path));
            }
        }
        return files;
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
