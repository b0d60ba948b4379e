package dev.signet.publish;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Minimal wheels and sdists for publisher tests (the real-wheel tests are in proxy-server). */
final class TestWheels {
    private TestWheels() {
    }

    static String metadata(String name, String version, String requiresPython) {
        return "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n"
                + (requiresPython == null ? "" : "Requires-Python: " + requiresPython + "\n")
                + "\nA description: with a colon, after the headers.\n";
    }

    static Path wheel(Path dir, String fileName, String metadata) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(fileName);
        String stem = fileName.substring(0, fileName.indexOf('-', fileName.indexOf('-') + 1));
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("module/__init__.py"));
            zip.write(("# " + fileName + "\n").getBytes(StandardCharsets.UTF_8));
            if (metadata != null) {
                zip.putNextEntry(new ZipEntry(stem + ".dist-info/METADATA"));
                zip.write(metadata.getBytes(StandardCharsets.UTF_8));
            }
        }
        return file;
    }

    /** {@code name-version-py3-none-any.whl} whose METADATA says the same name and version. */
    static Path wheel(Path dir, String name, String version, String requiresPython) throws IOException {
        return wheel(dir, name.replace('-', '_') + "-" + version + "-py3-none-any.whl",
                metadata(name, version, requiresPython));
    }

    static Path sdist(Path dir, String fileName) throws IOException {
        Files.createDirectories(dir);
        return Files.write(dir.resolve(fileName), ("not really a tarball: " + fileName).getBytes(StandardCharsets.UTF_8));
    }
}
