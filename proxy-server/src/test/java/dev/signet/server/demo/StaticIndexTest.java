package dev.signet.server.demo;

import dev.signet.server.testing.Minisign;
import dev.signet.server.testing.Processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticIndexTest {
    private static final ArtifactSigner FAKE_SIGNER = (file, fileName) ->
            ("signature of " + fileName + "\n").getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path shared;
    static Minisign minisign;

    @TempDir
    Path dir;

    @BeforeAll
    static void generateKey() throws Exception {
        minisign = Minisign.generate(shared.resolve("keys"));
    }

    @Test
    void writesRootPageLinkingEveryNormalizedProject() throws IOException {
        StaticIndex index = StaticIndex.build(dir.resolve("root"), DemoProjects.demoWheels(), FAKE_SIGNER, false);

        String rootPage = Files.readString(index.root().resolve("simple/index.html"));
        assertThat(rootPage)
                .contains("<a href=\"signet-demo-app/\">signet-demo-app</a>")
                .contains("<a href=\"signet-demo-lib/\">signet-demo-lib</a>")
                .contains("<a href=\"signet-demo-text/\">signet-demo-text</a>")
                .contains("<a href=\"signet-demo-utils/\">signet-demo-utils</a>")
                .doesNotContain("Signet_Demo.Text");
    }

    @Test
    void projectPageLinksEachFileWithHashAndRequiresPython() throws IOException {
        StaticIndex index = StaticIndex.build(dir.resolve("root"), DemoProjects.demoWheels(), FAKE_SIGNER, false);

        String libPage = Files.readString(index.root().resolve("simple/signet-demo-lib/index.html"));
        for (String version : List.of("1.0.0", "1.2.0", "2.0.0")) {
            String file = "signet_demo_lib-" + version + "-py3-none-any.whl";
            assertThat(libPage).contains("<a href=\"../../packages/" + file + "#sha256=" + index.sha256(file)
                    + "\" data-requires-python=\"&gt;=3.8\">" + file + "</a>");
        }
        assertThat(libPage).doesNotContain("data-core-metadata");
        String utilsPage = Files.readString(index.root().resolve("simple/signet-demo-utils/index.html"));
        assertThat(utilsPage).contains("#sha256=" + index.sha256("signet_demo_utils-1.0.0-py3-none-any.whl")
                + "\">").doesNotContain("data-requires-python");
    }

    @Test
    void publishesEveryWheelWithItsSignatureAndTrueHash() throws IOException {
        StaticIndex index = StaticIndex.build(dir.resolve("root"), DemoProjects.demoWheels(), FAKE_SIGNER, false);

        assertThat(index.fileNames()).hasSize(DemoProjects.demoWheels().size())
                .contains("signet_demo_app-1.0.0-py3-none-any.whl", "signet_demo_text-0.3.0-py3-none-any.whl");
        for (String file : index.fileNames()) {
            Path wheel = index.root().resolve("packages").resolve(file);
            assertThat(HexFormat.of().formatHex(Digests.sha256(Files.readAllBytes(wheel))))
                    .isEqualTo(index.sha256(file));
            assertThat(index.root().resolve("packages").resolve(file + ".minisig"))
                    .hasContent("signature of " + file);
            assertThat(index.root().resolve("packages").resolve(file + ".metadata")).doesNotExist();
        }
    }

    @Test
    void withMetadataPublishesSignedSidecarsAndAdvertisesThem() throws IOException {
        List<WheelBuilder> wheels = List.of(WheelBuilder.wheel("meta", "1.0").requires("dep>=2"));
        StaticIndex index = StaticIndex.build(dir.resolve("root"), wheels, FAKE_SIGNER, true);

        Path packages = index.root().resolve("packages");
        String file = "meta-1.0-py3-none-any.whl";
        assertThat(Files.readAllBytes(packages.resolve(file + ".metadata"))).isEqualTo(wheels.get(0).metadata());
        assertThat(packages.resolve(file + ".metadata.minisig")).hasContent("signature of " + file + ".metadata");
        String metadataSha256 = HexFormat.of().formatHex(Digests.sha256(wheels.get(0).metadata()));
        assertThat(index.sha256(file + ".metadata")).isEqualTo(metadataSha256);
        assertThat(Files.readString(index.root().resolve("simple/meta/index.html")))
                .contains(" data-core-metadata=\"sha256=" + metadataSha256 + "\"")
                .contains(" data-dist-info-metadata=\"sha256=" + metadataSha256 + "\"");
    }

    @Test
    void signaturesFromTheRealMinisignVerifyAndBindTheFileName() throws Exception {
        List<WheelBuilder> wheels = List.of(WheelBuilder.wheel("signed", "1.0"), WheelBuilder.wheel("other", "1.0"));
        StaticIndex index = StaticIndex.build(dir.resolve("root"), wheels, minisign, true);
        Path packages = index.root().resolve("packages");
        Path signed = packages.resolve("signed-1.0-py3-none-any.whl");
        Path other = packages.resolve("other-1.0-py3-none-any.whl");

        Processes.Result good = minisign.verify(signed, packages.resolve("signed-1.0-py3-none-any.whl.minisig"));
        assertThat(good.exitCode()).as(good.output()).isZero();
        assertThat(good.output()).contains("file:signed-1.0-py3-none-any.whl");
        Processes.Result metadata = minisign.verify(packages.resolve("signed-1.0-py3-none-any.whl.metadata"),
                packages.resolve("signed-1.0-py3-none-any.whl.metadata.minisig"));
        assertThat(metadata.exitCode()).as(metadata.output()).isZero();
        Processes.Result swapped = minisign.verify(other, packages.resolve("signed-1.0-py3-none-any.whl.minisig"));
        assertThat(swapped.exitCode()).as(swapped.output()).isNotZero();
    }

    @Test
    void refusesDuplicateFilesNonEmptyRootsAndMissingSignatures() throws IOException {
        List<WheelBuilder> duplicate = List.of(WheelBuilder.wheel("Dup", "1.0"), WheelBuilder.wheel("dup", "1.0"));
        assertThatThrownBy(() -> StaticIndex.build(dir.resolve("a"), duplicate, FAKE_SIGNER, false))
                .hasMessage("duplicate wheel file in index: dup-1.0-py3-none-any.whl");

        Path occupied = Files.createDirectories(dir.resolve("b"));
        Files.writeString(occupied.resolve("stale.whl"), "old");
        assertThatThrownBy(() -> StaticIndex.build(occupied, DemoProjects.demoWheels(), FAKE_SIGNER, false))
                .hasMessage("index root is not empty: " + occupied);

        assertThatThrownBy(() -> StaticIndex.build(dir.resolve("c"), List.of(WheelBuilder.wheel("x", "1.0")),
                (file, name) -> new byte[0], false))
                .isInstanceOf(IOException.class)
                .hasMessage("signer returned no signature for x-1.0-py3-none-any.whl");

        assertThatThrownBy(() -> StaticIndex.build(dir.resolve("d"), List.of(), FAKE_SIGNER, false))
                .hasMessage("a static index needs at least one wheel");
    }

    @Test
    void sha256OfAnUnknownFileIsRefused() throws IOException {
        StaticIndex index = StaticIndex.build(dir.resolve("root"), List.of(WheelBuilder.wheel("x", "1.0")),
                FAKE_SIGNER, false);

        assertThatThrownBy(() -> index.sha256("y-1.0-py3-none-any.whl"))
                .hasMessage("no file named 'y-1.0-py3-none-any.whl' in this index");
    }
}
