package dev.signet.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.sig.MinisignKeyPair;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code signet osv import}: a valid export becomes the database; a malformed one is refused and the old one kept. */
class OsvImportCommandTest {

    private static final String MAL = """
            {"id": "MAL-2026-9", "affected": [{"package": {"ecosystem": "PyPI", "name": "evil"}, "versions": ["1.0"]}]}""";

    private static Path zip(Path dir, String name, String entry, String json) throws Exception {
        Path file = dir.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(json.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return file;
    }

    private static int run(Path cache, Path zip, ByteArrayOutputStream err) {
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            String key = MinisignKeyPair.generate(new SecureRandom()).publicKey().encoded();
            return SignetCommand.commandLine().execute("osv", "import", "--upstream", "http://127.0.0.1:1/simple/",
                    "--trusted-key", key, "--cache-dir", cache.toString(), zip.toString());
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void importsAValidExportAndRefusesAMalformedOneKeepingThePrevious(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        Path good = zip(dir, "good.zip", "MAL-2026-9.json", MAL);
        assertThat(run(cache, good, new ByteArrayOutputStream())).isZero();
        Path installed = cache.resolve("policy-state").resolve("osv.zip");
        assertThat(installed).hasSameBinaryContentAs(good);

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path bad = zip(dir, "bad.zip", "broken.json", "{\"id\": ");
        assertThat(run(cache, bad, err)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("refused " + bad + ": broken.json: not valid JSON").contains("the previous database is kept")
                .doesNotContain("Exception");
        assertThat(installed).hasSameBinaryContentAs(good);

        ByteArrayOutputStream missing = new ByteArrayOutputStream();
        assertThat(run(cache, dir.resolve("absent.zip"), missing)).isEqualTo(1);
        assertThat(missing.toString(StandardCharsets.UTF_8)).contains("no such file").doesNotContain("Exception");
    }
}
