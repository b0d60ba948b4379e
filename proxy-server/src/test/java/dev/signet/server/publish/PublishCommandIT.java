package dev.signet.server.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Processes;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code signet publish} as an operator runs it (its own JVM): errors name the file, exit codes, nothing partial. */
class PublishCommandIT {

    @TempDir
    Path dir;
    Path key;
    Path out;

    @BeforeEach
    void keys() throws Exception {
        key = dir.resolve("index.key");
        Processes.Result keygen = signet("keygen", "-p", dir.resolve("index.pub").toString(), "-s", key.toString());
        assertThat(keygen.exitCode()).as(keygen.output()).isZero();
        out = dir.resolve("index");
    }

    @Test
    void badNamesBrokenWheelsAndClashesAreEachNamedAndNothingIsWritten() throws Exception {
        Path in = dir.resolve("in");
        Path good = WheelBuilder.wheel("good", "1.0").writeTo(in);
        Path badName = Files.writeString(in.resolve("notes-final.whl"), "x");
        Path noMetadata = zip(in.resolve("nometa-1.0-py3-none-any.whl"), "nometa/__init__.py");
        Path clashA = Files.writeString(Files.createDirectories(dir.resolve("a")).resolve("Foo-1.0.tar.gz"), "a");
        Path clashB = Files.writeString(Files.createDirectories(dir.resolve("b")).resolve("foo-1.0.tar.gz"), "b");

        Processes.Result result = signet("publish", "--key", key.toString(), "--out", out.toString(),
                in.toString(), clashA.toString(), clashB.toString());

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output())
                .contains("signet: nothing published; 3 problem(s):")
                .contains(badName + ": not a valid wheel or sdist name")
                .contains(noMetadata + ": wheel has no metadata (no *.dist-info/METADATA)")
                .contains(clashB + ": normalises to the same name as Foo-1.0.tar.gz")
                .doesNotContain(good.toString());
        assertThat(out).doesNotExist();
    }

    @Test
    void aRefusedRunLeavesAnExistingIndexAsItWas() throws Exception {
        Path good = WheelBuilder.wheel("good", "1.0").writeTo(dir.resolve("in"));
        assertThat(signet("publish", "--key", key.toString(), "--out", out.toString(), good.toString()).exitCode())
                .isZero();
        Map<Path, byte[]> before = snapshot(out);
        Path next = WheelBuilder.wheel("good", "1.1").writeTo(dir.resolve("next"));
        Path broken = Files.writeString(dir.resolve("next/broken-1.0-py3-none-any.whl"), "not a zip");

        Processes.Result result = signet("publish", "--key", key.toString(), "--out", out.toString(),
                next.toString(), broken.toString());

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains(broken + ": not a readable wheel (zip)");
        Map<Path, byte[]> after = snapshot(out);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((path, bytes) -> assertThat(after.get(path)).as(path.toString()).isEqualTo(bytes));
    }

    @Test
    void keysThatCannotBeUsedAreRefusedBeforeAnythingIsWritten() throws Exception {
        Path wheel = WheelBuilder.wheel("good", "1.0").writeTo(dir.resolve("in"));
        Path missing = dir.resolve("missing.key");
        Processes.Result noKey = signet("publish", "--key", missing.toString(), "--out", out.toString(),
                wheel.toString());
        assertThat(noKey.exitCode()).isEqualTo(1);
        assertThat(noKey.output()).contains("signet: cannot read secret key " + missing + ": no such file");

        Path password = Files.writeString(dir.resolve("password"), "right\n");
        Path wrong = Files.writeString(dir.resolve("wrong"), "wrong\n");
        Path encrypted = dir.resolve("encrypted.key");
        assertThat(signet("keygen", "-p", dir.resolve("encrypted.pub").toString(), "-s", encrypted.toString(),
                "--password-file", password.toString()).exitCode()).isZero();
        Processes.Result wrongPassword = signet("publish", "--key", encrypted.toString(), "--password-file",
                wrong.toString(), "--out", out.toString(), wheel.toString());
        assertThat(wrongPassword.exitCode()).isEqualTo(1);
        assertThat(wrongPassword.output()).contains("cannot read secret key " + encrypted + ": wrong password");
        Processes.Result noPassword = signet("publish", "--key", encrypted.toString(), "--out", out.toString(),
                wheel.toString());
        assertThat(noPassword.exitCode()).isEqualTo(1);
        assertThat(noPassword.output()).contains(encrypted + " is encrypted; pass --password-file");
        assertThat(out).doesNotExist();

        Processes.Result withPassword = signet("publish", "--key", encrypted.toString(), "--password-file",
                password.toString(), "--out", out.toString(), wheel.toString());
        assertThat(withPassword.exitCode()).as(withPassword.output()).isZero();
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        Path wheel = WheelBuilder.wheel("good", "1.0").writeTo(dir.resolve("in"));
        Processes.Result neither = signet("publish", "--key", key.toString(), wheel.toString());
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.output()).contains("give exactly one of --out DIR (publish) and --refresh DIR");
        Processes.Result badExpiry = signet("publish", "--key", key.toString(), "--out", out.toString(),
                "--expires", "soon", wheel.toString());
        assertThat(badExpiry.exitCode()).isEqualTo(2);
        assertThat(badExpiry.output()).contains("--expires");
        assertThat(out).doesNotExist();
    }

    @Test
    void yankAndRefreshFromTheCommandLine() throws Exception {
        Path wheel = WheelBuilder.wheel("good", "1.0").writeTo(dir.resolve("in"));
        assertThat(signet("publish", "--key", key.toString(), "--out", out.toString(), "--expires", "1d",
                wheel.toString()).exitCode()).isZero();

        Processes.Result yank = signet("publish", "--key", key.toString(), "--out", out.toString(),
                "--expires", "1d", "--yank", "good-1.0-py3-none-any.whl", "--reason", "broken");
        assertThat(yank.exitCode()).as(yank.output()).isZero();
        assertThat(yank.output()).contains("1 yanked, 1 page(s) signed");
        assertThat(out.resolve("simple/good/index.json")).content().contains("\"yanked\":\"broken\"");

        Processes.Result refresh = signet("publish", "--key", key.toString(), "--refresh", out.toString(),
                "--refresh-before", "2d");
        assertThat(refresh.exitCode()).as(refresh.output()).isZero();
        assertThat(refresh.output()).contains("1 page(s) signed (1 refreshed)");
        Processes.Result notYet = signet("publish", "--key", key.toString(), "--refresh", out.toString(),
                "--refresh-before", "2d");
        assertThat(notYet.output()).contains("0 page(s) signed (0 refreshed)"); // refreshed with the default 7d
    }

    private Processes.Result signet(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.signet.server.cli.SignetCommand"));
        command.addAll(List.of(args));
        return Processes.run(dir, command, 120);
    }

    private static Path zip(Path file, String entry) throws Exception {
        Files.createDirectories(file.getParent());
        try (OutputStream stream = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(stream)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write("pass\n".getBytes());
        }
        return file;
    }

    private static Map<Path, byte[]> snapshot(Path root) throws Exception {
        Map<Path, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path path : all.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(path), Files.readAllBytes(path));
            }
        }
        return files;
    }
}
