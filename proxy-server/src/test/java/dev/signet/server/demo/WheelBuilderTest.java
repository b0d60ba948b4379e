package dev.signet.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WheelBuilderTest {
    @TempDir
    Path dir;

    @Test
    void fileNameEscapesTheDistributionNameAndUsesThePurePythonTag() {
        assertThat(WheelBuilder.wheel("Signet_Demo.Text", "0.3.0").fileName())
                .isEqualTo("signet_demo_text-0.3.0-py3-none-any.whl");
        assertThat(WheelBuilder.wheel("a--b", "1.0rc1.post2.dev3").fileName())
                .isEqualTo("a_b-1.0rc1.post2.dev3-py3-none-any.whl");
    }

    @Test
    void wheelHoldsModuleMetadataWheelAndRecordInThatOrder() throws IOException {
        Path wheel = WheelBuilder.wheel("signet-demo-lib", "1.2.0")
                .requiresPython(">=3.8")
                .requires("signet-demo-utils>=1.0", "signet-demo-text")
                .writeTo(dir);

        assertThat(wheel).isEqualTo(dir.resolve("signet_demo_lib-1.2.0-py3-none-any.whl"));
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            assertThat(Collections.list(zip.entries())).extracting(ZipEntry::getName).containsExactly(
                    "signet_demo_lib/__init__.py",
                    "signet_demo_lib-1.2.0.dist-info/METADATA",
                    "signet_demo_lib-1.2.0.dist-info/WHEEL",
                    "signet_demo_lib-1.2.0.dist-info/RECORD");
            assertThat(text(zip, "signet_demo_lib/__init__.py")).contains("__version__ = \"1.2.0\"\n");
            assertThat(text(zip, "signet_demo_lib-1.2.0.dist-info/METADATA")).isEqualTo(
                    "Metadata-Version: 2.1\n"
                            + "Name: signet-demo-lib\n"
                            + "Version: 1.2.0\n"
                            + "Requires-Python: >=3.8\n"
                            + "Requires-Dist: signet-demo-utils>=1.0\n"
                            + "Requires-Dist: signet-demo-text\n");
            assertThat(text(zip, "signet_demo_lib-1.2.0.dist-info/WHEEL")).isEqualTo(
                    "Wheel-Version: 1.0\n"
                            + "Generator: signet-demo WheelBuilder\n"
                            + "Root-Is-Purelib: true\n"
                            + "Tag: py3-none-any\n");
        }
    }

    @Test
    void metadataAccessorReturnsTheBytesInsideTheWheel() throws IOException {
        WheelBuilder builder = WheelBuilder.wheel("signet-demo-app", "1.0.0").requires("signet-demo-lib>=1.0,<2");
        Path wheel = builder.writeTo(dir);

        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            assertThat(builder.metadata()).isEqualTo(
                    zip.getInputStream(zip.getEntry("signet_demo_app-1.0.0.dist-info/METADATA")).readAllBytes());
        }
        assertThat(new String(builder.metadata(), StandardCharsets.UTF_8)).doesNotContain("Requires-Python");
    }

    @Test
    void recordListsEveryOtherEntryWithItsTrueHashAndSize() throws IOException {
        Path wheel = WheelBuilder.wheel("padded", "2.0").requires("other").padding(300_001, 7).writeTo(dir);

        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            Map<String, String[]> record = parseRecord(text(zip, "padded-2.0.dist-info/RECORD"));
            List<String> entryNames = new ArrayList<>();
            for (ZipEntry entry : Collections.list(zip.entries())) {
                entryNames.add(entry.getName());
                assertThat(entry.getMethod()).as(entry.getName()).isEqualTo(ZipEntry.STORED);
                String[] hashAndSize = record.get(entry.getName());
                assertThat(hashAndSize).as("RECORD line for " + entry.getName()).isNotNull();
                if (entry.getName().endsWith("/RECORD")) {
                    assertThat(hashAndSize).containsExactly("", "");
                } else {
                    assertThat(hashAndSize).containsExactly(recordHash(zip, entry), Long.toString(entry.getSize()));
                }
            }
            assertThat(record.keySet()).containsExactlyElementsOf(entryNames);
            assertThat(zip.getEntry("padded/_padding.bin").getSize()).isEqualTo(300_001);
        }
    }

    @Test
    void paddingIsDeterministicPerSeedAndIncompressible() throws IOException {
        byte[] first = padding(WheelBuilder.wheel("padded", "1.0").padding(200_000, 42).writeTo(dir.resolve("a")));
        byte[] again = padding(WheelBuilder.wheel("padded", "1.0").padding(200_000, 42).writeTo(dir.resolve("b")));
        byte[] otherSeed = padding(WheelBuilder.wheel("padded", "1.0").padding(200_000, 43).writeTo(dir.resolve("c")));

        assertThat(first).hasSize(200_000).isEqualTo(again).isNotEqualTo(otherSeed);
        assertThat(deflatedSize(first)).isGreaterThan(199_000);
    }

    @Test
    void sameBuilderWritesByteIdenticalWheels() throws IOException {
        WheelBuilder builder = WheelBuilder.wheel("stable", "1.0").requires("x").padding(1000, 1);
        byte[] first = Files.readAllBytes(builder.writeTo(dir.resolve("a")));
        byte[] second = Files.readAllBytes(builder.writeTo(dir.resolve("b")));

        assertThat(first).isEqualTo(second);
    }

    @Test
    void writingLeavesNoTemporaryFilesBehind() throws IOException {
        WheelBuilder.wheel("clean", "1.0").writeTo(dir);

        try (var files = Files.list(dir)) {
            assertThat(files).extracting(path -> path.getFileName().toString())
                    .containsExactly("clean-1.0-py3-none-any.whl");
        }
    }

    @Test
    void refusesMalformedInput() {
        assertThatThrownBy(() -> WheelBuilder.wheel("-bad", "1.0"))
                .hasMessage("invalid distribution name (PEP 508): '-bad'");
        assertThatThrownBy(() -> WheelBuilder.wheel("3d", "1.0"))
                .hasMessageContaining("starts with a digit");
        assertThatThrownBy(() -> WheelBuilder.wheel("ok", "1.0-1"))
                .hasMessage("invalid or non-normalized version (PEP 440): '1.0-1'");
        assertThatThrownBy(() -> WheelBuilder.wheel("ok", "01.0"))
                .hasMessageContaining("non-normalized version");
        assertThatThrownBy(() -> WheelBuilder.wheel("ok", "1.0").requires("dep\nRequires-Dist: evil"))
                .hasMessageContaining("control or non-ASCII character");
        assertThatThrownBy(() -> WheelBuilder.wheel("ok", "1.0").requires(">=1.0"))
                .hasMessageContaining("must start with a distribution name");
        assertThatThrownBy(() -> WheelBuilder.wheel("ok", "1.0").requiresPython("3.8"))
                .hasMessage("invalid Requires-Python specifier: '3.8'");
        assertThatThrownBy(() -> WheelBuilder.wheel("ok", "1.0").padding(-1, 0))
                .hasMessage("padding size must not be negative: -1");
    }

    private static String text(ZipFile zip, String entryName) throws IOException {
        try (InputStream in = zip.getInputStream(zip.getEntry(entryName))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, String[]> parseRecord(String record) {
        Map<String, String[]> lines = new LinkedHashMap<>();
        for (String line : record.split("\n")) {
            String[] fields = line.split(",", -1);
            assertThat(fields).as("RECORD line " + line).hasSize(3);
            lines.put(fields[0], new String[] {fields[1], fields[2]});
        }
        return lines;
    }

    private static String recordHash(ZipFile zip, ZipEntry entry) throws IOException {
        MessageDigest sha256 = Digests.sha256();
        long size = 0;
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha256.update(buffer, 0, n);
                size += n;
            }
        }
        assertThat(size).isEqualTo(entry.getSize());
        return "sha256=" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest());
    }

    private static byte[] padding(Path wheel) throws IOException {
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            return zip.getInputStream(zip.getEntry("padded/_padding.bin")).readAllBytes();
        }
    }

    private static int deflatedSize(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(data);
        deflater.finish();
        byte[] out = new byte[data.length * 2];
        int size = 0;
        while (!deflater.finished()) {
            size += deflater.deflate(out, size, out.length - size);
        }
        deflater.end();
        return size;
    }
}
