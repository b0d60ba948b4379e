package dev.signet.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.cli.InProcessCli.Run;
import dev.signet.server.testing.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code signet} command line in-process, checked against the real {@code minisign} binary in both directions. */
class CliIT {

    private static final String MINISIGN = "/usr/bin/minisign";

    @TempDir
    Path dir;

    private static Run signet(String... args) {
        return InProcessCli.signet(args);
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

    @Test
    @DisplayName("sign: a wrong or missing password is one line naming the key, exit 1, nothing signed")
    void signNamesAWrongPasswordWithoutAStackTrace() throws Exception {
        // Own JVM: scrypt with minisign's limits needs 1 GiB, more than the test JVM's heap.
        Path key = dir.resolve("e.key");
        Path file = file("a-1.0.tar.gz", "bytes");
        Path right = file("right.txt", "right\n");
        Path wrong = file("wrong.txt", "wrong\n");
        Processes.Result keygen = signetProcess("keygen", "-p", s(dir.resolve("e.pub")), "-s", s(key), "--password-file", s(right));
        assertThat(keygen.exitCode()).as(keygen.output()).isZero();

        Processes.Result wrongPassword = signetProcess("sign", "-s", s(key), "--password-file", s(wrong), s(file));
        Processes.Result noPassword = signetProcess("sign", "-s", s(key), s(file));

        assertThat(wrongPassword.exitCode()).isEqualTo(1);
        assertThat(wrongPassword.output()).isEqualTo("signet: cannot read secret key " + key
                + ": wrong password or corrupt key (checksum mismatch)\n");
        assertThat(noPassword.exitCode()).isEqualTo(1);
        assertThat(noPassword.output()).isEqualTo("signet: " + key + " is encrypted; pass --password-file\n");
        assertThat(dir.resolve("a-1.0.tar.gz.minisig")).doesNotExist();
    }

    private Processes.Result signetProcess(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1536m", "-cp", System.getProperty("java.class.path"), "dev.signet.server.cli.SignetCommand"));
        command.addAll(List.of(args));
        return Processes.run(dir, command, 120);
    }
}
