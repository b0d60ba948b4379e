package dev.signet.server.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.StaticIndex;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.HttpsPypi;
import dev.signet.server.testing.Minisign;
import dev.signet.server.testing.Processes;
import dev.signet.server.testing.SignetProcess;
import dev.signet.sig.MinisignKeyPair;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The origin's signing key encrypted by real {@code minisign -G} with a password, given as {@code origin.key} or as
 * its text in {@code SIGNET_ORIGIN_SECRET_KEY}, with {@code origin.key-password-file}: a real {@code signet serve}
 * process signs with it; a wrong or missing password refuses startup with one line naming the setting, and neither
 * the key nor the password appears in anything the process prints (its log goes to the same output).
 * Processes get 1.5 GiB of heap: minisign's scrypt limits need 1 GiB to decrypt the key.
 */
class OriginKeyIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final List<String> JVM = List.of("-Xmx1536m");

    @TempDir
    static Path dir;
    static StaticIndex index;
    static HttpsPypi pypi;
    static Minisign key;
    static String keyText;
    static Path rightPassword;
    static Path wrongPassword;

    @BeforeAll
    static void start() throws Exception {
        index = StaticIndex.build(dir.resolve("pypi"), List.of(WheelBuilder.wheel("keyed", "1.0").padding(2_000, 51)),
                new MinisignArtifactSigner(MinisignKeyPair.generate(new SecureRandom()).secretKey()), false);
        pypi = HttpsPypi.start(dir, index.root());
        key = Minisign.generateEncrypted(dir.resolve("key"), PASSWORD);
        Files.setPosixFilePermissions(key.secretKeyFile(), PosixFilePermissions.fromString("rw-------"));
        keyText = Files.readString(key.secretKeyFile());
        rightPassword = secret("right.pass", PASSWORD + "\n");
        wrongPassword = secret("wrong.pass", "Tr0ub4dor&3\n");
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {pypi}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private static Path secret(String name, String text) throws Exception {
        Path file = Files.writeString(dir.resolve(name), text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static List<String> serve(String cacheName, String... settings) {
        List<String> args = new ArrayList<>(List.of("serve", "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
                "--upstream", pypi.simpleUrl(),
                "--cache-dir", dir.resolve(cacheName).toString(), "--set", "role=origin",
                "--set", "upstream-ca-bundle=" + pypi.certs().caFile()));
        for (String setting : settings) {
            args.addAll(List.of("--set", setting));
        }
        return args;
    }

    /** The origin signs a file with the decrypted key: minisign verifies the signature with the public key. */
    private static void signsWithTheKey(SignetProcess origin, String source) throws Exception {
        String name = index.fileNames().get(0);
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create(origin.simpleUrl()).resolve("/");
        HttpResponse<byte[]> signature = http.send(HttpRequest.newBuilder(base.resolve("/packages/" + name + ".minisig"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(signature.statusCode()).as(String.join("\n", origin.output())).isEqualTo(200);
        Path signatureFile = Files.write(dir.resolve(source + ".minisig"), signature.body());
        Processes.Result verified = key.verify(index.root().resolve("packages").resolve(name), signatureFile);
        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(String.join("\n", origin.output())).contains("(from " + source + ")");
        neverShown(String.join("\n", origin.output()));
    }

    private static void neverShown(String output) {
        String keyLine = keyText.lines().skip(1).findFirst().orElseThrow();
        assertThat(output).doesNotContain(keyLine).doesNotContain(keyLine.substring(0, 24))
                .doesNotContain(keyLine.substring(keyLine.length() - 24)).doesNotContain(PASSWORD)
                .doesNotContain("Tr0ub4dor");
    }

    /** Runs {@code serve} that must refuse to start: exit 2, its output returned. */
    private static String refused(List<String> args, Consumer<Map<String, String>> env) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(JVM);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.signet.server.cli.SignetCommand"));
        command.addAll(args);
        Processes.Result result = Processes.run(dir, command, 180, env);
        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        neverShown(result.output());
        assertThat(result.output()).doesNotContain("listening");
        return result.output();
    }

    private static Consumer<Map<String, String>> keyInEnvironment() {
        return env -> env.put("SIGNET_ORIGIN_SECRET_KEY", keyText);
    }

    @Test
    @DisplayName("a minisign -G key with a password, as origin.key + origin.key-password-file, signs files in a 1.5 GiB heap (serve reads its config twice: the first scrypt table was garbage that looked like a full heap)")
    void encryptedKeyFileWithPasswordFileSigns() throws Exception {
        try (SignetProcess origin = SignetProcess.startFromClasspath(JVM, serve("file-cache",
                "origin.key=" + key.secretKeyFile(), "origin.key-password-file=" + rightPassword), Map.of())) {
            signsWithTheKey(origin, key.secretKeyFile().toString());
        }
    }

    @Test
    @DisplayName("the same key's text in SIGNET_ORIGIN_SECRET_KEY with origin.key-password-file signs files")
    void encryptedKeyInEnvironmentWithPasswordFileSigns() throws Exception {
        try (SignetProcess origin = SignetProcess.startFromClasspath(JVM, serve("env-cache",
                "origin.key-password-file=" + rightPassword), Map.of("SIGNET_ORIGIN_SECRET_KEY", keyText))) {
            signsWithTheKey(origin, "SIGNET_ORIGIN_SECRET_KEY");
        }
    }

    @Test
    @DisplayName("a wrong password refuses startup with one line naming origin.key and the password file")
    void wrongPasswordRefusesStartup() throws Exception {
        String output = refused(serve("wrong-cache", "origin.key=" + key.secretKeyFile(),
                "origin.key-password-file=" + wrongPassword), env -> { });
        assertThat(output).contains("  - origin.key: cannot read the secret key in " + key.secretKeyFile()
                + " with the password in origin.key-password-file " + wrongPassword + ": wrong password");
        assertThat(output.lines().filter(line -> line.contains("origin.key"))).hasSize(1);

        String fromEnvironment = refused(serve("wrong-env-cache", "origin.key-password-file=" + wrongPassword),
                keyInEnvironment());
        assertThat(fromEnvironment).contains("  - origin.key: cannot read the secret key in SIGNET_ORIGIN_SECRET_KEY"
                + " with the password in origin.key-password-file " + wrongPassword + ": wrong password");
        assertThat(Files.exists(dir.resolve("wrong-cache").resolve("origin"))).as("nothing signed or published").isFalse();
    }

    @Test
    @DisplayName("an encrypted key without origin.key-password-file, or with a missing password file, refuses startup naming the setting")
    void missingPasswordRefusesStartup() throws Exception {
        String noSetting = refused(serve("none-cache", "origin.key=" + key.secretKeyFile()), env -> { });
        assertThat(noSetting).contains("  - origin.key: the key in " + key.secretKeyFile()
                + " is encrypted; set origin.key-password-file");
        String noSettingEnv = refused(serve("none-env-cache"), keyInEnvironment());
        assertThat(noSettingEnv).contains("  - origin.key: the key in SIGNET_ORIGIN_SECRET_KEY is encrypted;"
                + " set origin.key-password-file");
        Path absent = dir.resolve("absent.pass");
        String missingFile = refused(serve("missing-cache", "origin.key=" + key.secretKeyFile(),
                "origin.key-password-file=" + absent), env -> { });
        assertThat(missingFile).contains("  - origin.key-password-file: " + absent + ": no such file");
        assertThat(missingFile.lines().filter(line -> line.contains("origin.key"))).hasSize(1);
    }
}
