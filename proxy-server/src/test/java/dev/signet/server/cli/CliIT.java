package dev.signet.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.testing.Processes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code signet} command line in-process, checked against the real {@code minisign} binary in both directions. */
class CliIT {

    private static final String MINISIGN = "/usr/bin/minisign";

    @TempDir
    Path dir;

    /** What one in-process run of {@code signet} returned and printed. */
    private record Run(int exitCode, String out, String err) {
    }

    private static Run signet(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            // Created after the swap: picocli binds its writers to System.out/err when the CommandLine is built.
            int code = SignetCommand.commandLine().execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    private Processes.Result minisign(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(MINISIGN));
        command.addAll(List.of(args));
        return Processes.run(dir, command, 30);
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static String s(Path p) {
        return p.toString();
    }

    @Test
    void minisignAcceptsWhatSignetKeygenAndSignProduce() throws Exception {
        Path pub = dir.resolve("x.pub");
        Path key = dir.resolve("x.key");
        Path wheel = file("demo-1.0-py3-none-any.whl", "not really a wheel\n");

        Run keygen = signet("keygen", "-p", s(pub), "-s", s(key));
        assertThat(keygen.exitCode()).as(keygen.err()).isZero();
        assertThat(keygen.out()).contains("Key id ").contains("(unencrypted)");
        Run sign = signet("sign", "-s", s(key), s(wheel));
        assertThat(sign.exitCode()).as(sign.err()).isZero();
        assertThat(dir.resolve(wheel.getFileName() + ".minisig")).exists();

        Processes.Result verified = minisign("-Vm", s(wheel), "-p", s(pub));
        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(verified.output()).contains("Trusted comment: ").contains("file:demo-1.0-py3-none-any.whl");
    }

    @Test
    void signetVerifyAcceptsMinisignsSignatureAndRefusesATamperedFile() throws Exception {
        Path pub = dir.resolve("m.pub");
        Path key = dir.resolve("m.key");
        Path file = file("pkg-2.0.tar.gz", "some release bytes\n");
        assertThat(minisign("-G", "-W", "-p", s(pub), "-s", s(key)).exitCode()).isZero();
        Processes.Result signed = minisign("-Sm", s(file), "-s", s(key));
        assertThat(signed.exitCode()).as(signed.output()).isZero();

        Run ok = signet("verify", "-k", "@" + pub, s(file));
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("Signature and comment signature verified").contains("file:pkg-2.0.tar.gz");
        assertThat(ok.err()).isEmpty();

        byte[] bytes = Files.readAllBytes(file);
        bytes[3] ^= 1;
        Files.write(file, bytes);
        Run refused = signet("verify", "-k", "@" + pub, s(file));
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).startsWith("refused pkg-2.0.tar.gz: ").endsWith("\n");
        assertThat(refused.err().strip()).doesNotContain("\n");
    }

    @Test
    void signetVerifyRefusesAnotherKeysSignature() throws Exception {
        Path file = file("a-1.0.zip", "bytes");
        assertThat(signet("keygen", "-p", s(dir.resolve("signer.pub")), "-s", s(dir.resolve("signer.key"))).exitCode()).isZero();
        assertThat(signet("keygen", "-p", s(dir.resolve("other.pub")), "-s", s(dir.resolve("other.key"))).exitCode()).isZero();
        assertThat(signet("sign", "-s", s(dir.resolve("signer.key")), s(file)).exitCode()).isZero();

        Run refused = signet("verify", "-k", "@" + dir.resolve("other.pub"), s(file));
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).startsWith("refused a-1.0.zip: ");
    }

    @Test
    void signetSignsWithMinisignsSecretKeyAndMinisignAccepts() throws Exception {
        Path pub = dir.resolve("m.pub");
        Path key = dir.resolve("m.key");
        Path file = file("tool-3.1-py3-none-any.whl", "tool bytes\n");
        assertThat(minisign("-G", "-W", "-p", s(pub), "-s", s(key)).exitCode()).isZero();

        Run sign = signet("sign", "-s", s(key), s(file));
        assertThat(sign.exitCode()).as(sign.err()).isZero();

        Processes.Result verified = minisign("-V", "-m", s(file), "-p", s(pub));
        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(verified.output()).contains("file:tool-3.1-py3-none-any.whl");
    }

    @Test
    void serveReportsEveryConfigurationErrorAndExitsTwo() {
        Run run = signet("serve", "--upstream", "ftp://x", "--set", "index-ttl=banana",
                "--cache-dir", s(dir.resolve("cache")));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("signet: invalid configuration:\n")
                .contains("  - upstream: expected an http:// or https:// URL of a simple index, got 'ftp://x'")
                .contains("  - index-ttl: not a duration (examples: 500ms, 90s, 10m, 1h, 7d): banana");
        assertThat(dir.resolve("cache")).doesNotExist();
    }

    @Test
    void serveTakesAnySettingFromSetWhenItsOwnFlagIsAbsent() {
        // Valid upstream and key given only through --set, plus one bad value: the only error must be that value.
        Run run = signet("serve", "--set", "upstream=http://127.0.0.1:9/simple/",
                "--set", "trusted-keys=RWToHZEzNE8PLs53lNYF/LLnyAhz54PlV5wlyW0Zas6+nfEn5wTBXL05",
                "--set", "worker-threads=-1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("signet: invalid configuration:\n"
                + "  - worker-threads: must be between 0 (automatic) and 1024, got -1\n");
    }

    @Test
    void keygenRefusesToOverwriteWithoutForce() throws Exception {
        Path pub = dir.resolve("k.pub");
        Path key = dir.resolve("k.key");
        assertThat(signet("keygen", "-p", s(pub), "-s", s(key)).exitCode()).isZero();
        String firstPub = Files.readString(pub);
        String firstKey = Files.readString(key);

        Run again = signet("keygen", "-p", s(pub), "-s", s(key));
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("signet: key file exists (" + key + "); use --force to overwrite\n");
        assertThat(Files.readString(pub)).isEqualTo(firstPub);
        assertThat(Files.readString(key)).isEqualTo(firstKey);

        Run forced = signet("keygen", "-f", "-p", s(pub), "-s", s(key));
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(Files.readString(pub)).isNotEqualTo(firstPub);
    }
}
