package dev.signet.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.signet.server.cli.InProcessCli.Run;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A person's mistake at any command (a missing file or folder, a wrong password, an output that exists, a folder that
 * is not empty, an address in use) is one line naming the setting or option, the path or address and the reason, with
 * the command's exit code, and never a Java stack trace.
 */
class CommandErrorsTest {

    private static final String KEY = "RWToHZEzNE8PLs53lNYF/LLnyAhz54PlV5wlyW0Zas6+nfEn5wTBXL05";
    /** A hang guard for commands that would serve forever if they did not fail. */
    private static final Duration GUARD = Duration.ofMinutes(2);

    @TempDir
    Path dir;
    private Path aFile;

    @BeforeEach
    void aRegularFile() throws IOException {
        aFile = Files.writeString(dir.resolve("a-file"), "not a folder");
    }

    private static Run signet(String... args) {
        return InProcessCli.signet(args);
    }

    private static void assertNoStackTrace(Run run) {
        assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(run.out()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    /** {@code serve} with a valid configuration on free ports, changed by {@code options} (name, value, ...). */
    private Run serve(String... options) {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("--upstream", "http://127.0.0.1:9/simple/");
        flags.put("--trusted-key", KEY);
        flags.put("--admin-listen", "127.0.0.1:0");
        flags.put("--listen", "127.0.0.1:0");
        flags.put("--cache-dir", dir.resolve("cache").toString());
        for (int i = 0; i < options.length; i += 2) {
            flags.put(options[i], options[i + 1]);
        }
        List<String> args = new ArrayList<>(List.of("serve"));
        flags.forEach((name, value) -> args.addAll(List.of(name, value)));
        return assertTimeoutPreemptively(GUARD, () -> signet(args.toArray(String[]::new)));
    }

    @Test
    @DisplayName("serve: a cache dir that cannot be created names cache-dir, the path and the OS reason (was '- /path/cache')")
    void serveNamesCacheDirAndReason() {
        Path cache = aFile.resolve("cache");
        Run run = serve("--cache-dir", cache.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("signet: cannot start:\n"
                + "  - cache-dir: cannot use the cache directory " + cache + ": not a directory\n");
        assertNoStackTrace(run);
    }

    @Test
    @DisplayName("serve: an unresolvable listen host says so (was 'cannot listen on nosuchhost.invalid:8203: null')")
    void serveNamesListenAndUnresolvedHost() {
        Run run = serve("--listen", "nosuchhost.invalid:8203");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("signet: cannot start:\n  - listen: cannot listen on nosuchhost.invalid:8203: "
                + "host name not found (no DNS or /etc/hosts entry)\n");
        assertNoStackTrace(run);
    }

    @Test
    void serveNamesTheListenerWhosePortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run publicPort = serve("--listen", "127.0.0.1:" + taken.getLocalPort());
            Run adminPort = serve("--admin-listen", "127.0.0.1:" + taken.getLocalPort());

            assertThat(publicPort.exitCode()).isEqualTo(2);
            assertThat(publicPort.err()).contains("signet: cannot start:\n  - listen: cannot listen on 127.0.0.1:"
                    + taken.getLocalPort() + ": address already in use\n");
            assertThat(adminPort.err()).contains("signet: cannot start:\n  - admin-listen: cannot listen on 127.0.0.1:"
                    + taken.getLocalPort() + ": address already in use\n");
            assertNoStackTrace(publicPort);
            assertNoStackTrace(adminPort);
        }
    }

    @Test
    void serveAndCheckConfigNameAMissingConfigFileAndItsReason() {
        Path missing = dir.resolve("signet.yaml");
        for (String command : new String[] {"serve", "check-config"}) {
            Run run = signet(command, "--config", missing.toString());

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).startsWith("signet: invalid configuration:\n"
                    + "  - cannot read config file " + missing + ": no such file or directory\n");
            assertNoStackTrace(run);
        }
    }

    @Test
    void keygenNamesAMissingFolderAndWritesNothing() {
        Path pub = dir.resolve("no-such-folder").resolve("k.pub");
        Run run = signet("keygen", "-p", pub.toString(), "-s", dir.resolve("k.key").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("signet: cannot write " + pub + ": folder " + pub.getParent() + " does not exist\n");
        assertThat(dir.resolve("k.key")).doesNotExist();
        assertNoStackTrace(run);
    }

    @Test
    @DisplayName("keygen: a missing password file is one line (was a NoSuchFileException stack trace)")
    void keygenNamesAMissingPasswordFile() {
        Path password = dir.resolve("password.txt");
        Run run = signet("keygen", "-p", dir.resolve("k.pub").toString(), "-s", dir.resolve("k.key").toString(),
                "--password-file", password.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("signet: cannot read password file " + password + ": no such file or directory\n");
        assertThat(dir.resolve("k.key")).doesNotExist();
        assertNoStackTrace(run);
    }

    @Test
    @DisplayName("sign: a missing file is named before anything is signed (was a NoSuchFileException stack trace)")
    void signNamesEveryMissingFileAndSignsNothing() throws IOException {
        Path key = keyPair("k");
        Path present = Files.writeString(dir.resolve("a-1.0.tar.gz"), "bytes");
        Path missing = dir.resolve("b-1.0.tar.gz");
        Run run = signet("sign", "-s", key.toString(), present.toString(), missing.toString(), dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("signet: nothing signed; cannot sign:\n  - " + missing + ": no such file\n"
                + "  - " + dir + ": is a folder (name the files to sign)\n");
        assertThat(dir.resolve("a-1.0.tar.gz.minisig")).doesNotExist();
        assertNoStackTrace(run);
    }

    @Test
    void signNamesAMissingKey() throws IOException {
        Path file = Files.writeString(dir.resolve("a-1.0.tar.gz"), "bytes");
        Path missingKey = dir.resolve("none.key");
        Run noKey = signet("sign", "-s", missingKey.toString(), file.toString());

        assertThat(noKey.exitCode()).isEqualTo(1);
        assertThat(noKey.err()).isEqualTo("signet: cannot read secret key " + missingKey + ": no such file\n");
        assertThat(dir.resolve("a-1.0.tar.gz.minisig")).doesNotExist();
        assertNoStackTrace(noKey);
    }

    @Test
    @DisplayName("sign -t without file: refuses without --force (it wrote signatures the default policy refuses)")
    void signRefusesATrustedCommentWithoutFileUnlessForced() throws IOException {
        Path key = keyPair("k");
        Path file = Files.writeString(dir.resolve("a-1.0.tar.gz"), "bytes");
        Path signature = dir.resolve("a-1.0.tar.gz.minisig");

        Run refused = signet("sign", "-s", key.toString(), "-t", "release 2026", file.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).isEqualTo("signet: nothing signed; Signet's default policy would refuse these signatures "
                + "(add file:NAME to -t, or --force to sign anyway):\n"
                + "  - trusted comment 'release 2026' has no file: field (refused unless require-file-name: false)\n");
        assertThat(signature).doesNotExist();

        Run otherName = signet("sign", "-s", key.toString(), "-t", "release 2026\tfile:b-1.0.tar.gz", file.toString());
        assertThat(otherName.exitCode()).isEqualTo(2);
        assertThat(otherName.err()).contains("  - trusted comment names file:b-1.0.tar.gz, not a-1.0.tar.gz");
        assertThat(signature).doesNotExist();

        Run named = signet("sign", "-s", key.toString(), "-t", "release 2026\tfile:a-1.0.tar.gz", file.toString());
        assertThat(named.exitCode()).as(named.err()).isZero();
        assertThat(named.err()).isEmpty();
        assertThat(signet("verify", "-k", "@" + dir.resolve("k.pub"), file.toString()).exitCode()).isZero();

        Run forced = signet("sign", "-s", key.toString(), "-t", "release 2026", "--force", file.toString());
        assertThat(forced.exitCode()).isZero();
        assertThat(forced.err()).isEqualTo("signet: warning: trusted comment 'release 2026' has no file: field "
                + "(refused unless require-file-name: false)\n");
        // What the warning says: the proxy's default check refuses it, the opt-out accepts it.
        assertThat(signet("verify", "-k", "@" + dir.resolve("k.pub"), file.toString()).exitCode()).isEqualTo(1);
        assertThat(signet("verify", "--allow-missing-file-name", "-k", "@" + dir.resolve("k.pub"), file.toString())
                .exitCode()).isZero();
    }

    @Test
    @DisplayName("verify: a missing key file or file is one line (was a NoSuchFileException stack trace)")
    void verifyNamesAMissingKeyFileAndAMissingFile() throws IOException {
        Path pubFile = dir.resolve("none.pub");
        Path file = Files.writeString(dir.resolve("a-1.0.tar.gz"), "bytes");
        Run noKey = signet("verify", "-k", "@" + pubFile, file.toString());
        keyPair("k");
        Run noFile = signet("verify", "-k", "@" + dir.resolve("k.pub"), dir.resolve("b-1.0.tar.gz").toString());

        assertThat(noKey.exitCode()).isEqualTo(1);
        assertThat(noKey.err()).isEqualTo("signet: cannot read public key file " + pubFile + ": no such file or directory\n");
        assertThat(noFile.exitCode()).isEqualTo(1);
        assertThat(noFile.err()).isEqualTo("signet: cannot verify " + dir.resolve("b-1.0.tar.gz") + ": no such file\n");
        assertNoStackTrace(noKey);
        assertNoStackTrace(noFile);
    }

    @Test
    @DisplayName("demo: a non-empty --dir or one that cannot be created is one line (was a stack trace)")
    void demoRefusesANonEmptyFolderAndNamesOneItCannotCreate() {
        Run notEmpty = signet("demo", "--listen", "127.0.0.1:0", "--dir", dir.toString());
        Path underAFile = aFile.resolve("demo");
        Run cannotCreate = signet("demo", "--listen", "127.0.0.1:0", "--dir", underAFile.toString());

        assertThat(notEmpty.exitCode()).isEqualTo(1);
        assertThat(notEmpty.err()).isEqualTo("signet: demo --dir " + dir
                + ": folder is not empty; give an empty or new folder, or leave out --dir for a temp folder\n");
        assertThat(cannotCreate.exitCode()).isEqualTo(1);
        assertThat(cannotCreate.err()).startsWith("signet: cannot create the demo folder " + underAFile + ": ");
        assertNoStackTrace(notEmpty);
        assertNoStackTrace(cannotCreate);
    }

    @Test
    void demoNamesItsListenAddressWhenThePortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = assertTimeoutPreemptively(GUARD, () -> signet("demo", "--listen", "127.0.0.1:" + taken.getLocalPort()));

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains("signet: cannot start the demo:\n  - listen: cannot listen on 127.0.0.1:"
                    + taken.getLocalPort() + ": address already in use\n");
            assertNoStackTrace(run);
        }
    }

    @Test
    void publishNamesAMissingKeyAPathAndAnOutputThatIsAFile() throws IOException {
        Path missingKey = dir.resolve("none.key");
        Run noKey = signet("publish", "--key", missingKey.toString(), "--out", dir.resolve("index").toString(), aFile.toString());
        Path key = keyPair("k");
        Path missing = dir.resolve("a-1.0-py3-none-any.whl");
        Run noPath = signet("publish", "--key", key.toString(), "--out", dir.resolve("index").toString(), missing.toString());
        Run outIsAFile = signet("publish", "--key", key.toString(), "--out", aFile.toString(), dir.toString());
        Run noIndex = signet("publish", "--key", key.toString(), "--refresh", dir.resolve("no-index").toString());

        assertThat(noKey.exitCode()).isEqualTo(1);
        assertThat(noKey.err()).isEqualTo("signet: cannot read secret key " + missingKey + ": no such file\n");
        assertThat(noPath.exitCode()).isEqualTo(2);
        assertThat(noPath.err()).isEqualTo("signet: invalid publish options:\n  - " + missing + ": no such file or directory\n");
        assertThat(outIsAFile.exitCode()).isEqualTo(2);
        assertThat(outIsAFile.err()).isEqualTo("signet: invalid publish options:\n  - --out " + aFile + ": exists and is not a folder\n");
        assertThat(noIndex.exitCode()).isEqualTo(2);
        assertThat(noIndex.err()).isEqualTo("signet: invalid publish options:\n  - --refresh " + dir.resolve("no-index")
                + ": no such folder (give an index written by signet publish --out)\n");
        for (Run run : new Run[] {noKey, noPath, outIsAFile, noIndex}) {
            assertNoStackTrace(run);
        }
        assertThat(dir.resolve("index")).doesNotExist();
    }

    @Test
    void healthNamesAnAddressNothingListensOn() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Run run = signet("health", "--url", "http://127.0.0.1:" + port + "/readyz");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("unhealthy: http://127.0.0.1:" + port
                + "/readyz refused or unreachable: nothing accepts connections there\n");
        assertNoStackTrace(run);
    }

    /** {@code signet keygen NAME.pub NAME.key} (unencrypted: scrypt needs more heap than this JVM has). */
    private Path keyPair(String name) {
        Path key = dir.resolve(name + ".key");
        Run run = signet("keygen", "-p", dir.resolve(name + ".pub").toString(), "-s", key.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        return key;
    }
}
