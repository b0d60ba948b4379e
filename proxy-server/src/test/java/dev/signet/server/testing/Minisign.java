package dev.signet.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.signet.server.demo.ArtifactSigner;

/**
 * The real /usr/bin/minisign binary as a test signer and verifier, with one key pair per instance (unencrypted, or
 * encrypted with {@link #generateEncrypted}).
 */
public final class Minisign implements ArtifactSigner {
    private static final String BINARY = "/usr/bin/minisign";
    private static final long TIMEOUT_SECONDS = 30;

    private final Path workDir;
    private final Path publicKey;
    private final Path secretKey;

    private Minisign(Path workDir) {
        this.workDir = workDir;
        this.publicKey = workDir.resolve("minisign.pub");
        this.secretKey = workDir.resolve("minisign.key");
    }

    public static Minisign generate(Path workDir) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Minisign minisign = new Minisign(workDir);
        Processes.Result result = Processes.run(workDir, List.of(BINARY, "-G", "-W", "-f",
                "-p", minisign.publicKey.toString(), "-s", minisign.secretKey.toString()), TIMEOUT_SECONDS);
        if (result.exitCode() != 0) {
            throw new IOException("minisign -G failed: " + result.output());
        }
        return minisign;
    }

    /**
     * A key pair made by {@code minisign -G} with a password (typed twice on its standard input, as at a terminal):
     * the secret key is encrypted with minisign's own scrypt limits (1 GiB of memory to derive).
     */
    public static Minisign generateEncrypted(Path workDir, String password) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Minisign minisign = new Minisign(workDir);
        Path log = Files.createTempFile(workDir, "minisign-", ".log");
        Process process = new ProcessBuilder(BINARY, "-G", "-f", "-p", minisign.publicKey.toString(),
                "-s", minisign.secretKey.toString()).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write((password + "\n" + password + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (!process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IOException("minisign -G did not finish: " + Files.readString(log));
        }
        if (process.exitValue() != 0 || !Files.readString(minisign.secretKey).contains("encrypted secret key")) {
            throw new IOException("minisign -G with a password failed: " + Files.readString(log));
        }
        return minisign;
    }

    public Path publicKeyFile() {
        return publicKey;
    }

    public Path secretKeyFile() {
        return secretKey;
    }

    /** The public key line ({@code RW...}) as minisign wrote it. */
    public String publicKeyLine() throws IOException {
        List<String> lines = Files.readAllLines(publicKey);
        return lines.get(lines.size() - 1).trim();
    }

    @Override
    public byte[] sign(Path file, String fileName) throws IOException {
        if (!file.getFileName().toString().equals(fileName)) {
            // minisign writes the path's base name into the trusted comment; a mismatch would sign the wrong name.
            throw new IOException("file " + file + " is not published as " + fileName);
        }
        Path signature = Files.createTempFile(workDir, "sig-", ".minisig");
        try {
            Processes.Result result = run(List.of(BINARY, "-S", "-s", secretKey.toString(),
                    "-m", file.toString(), "-x", signature.toString()));
            if (result.exitCode() != 0) {
                throw new IOException("minisign -S failed for " + fileName + ": " + result.output());
            }
            return Files.readAllBytes(signature);
        } finally {
            Files.deleteIfExists(signature);
        }
    }

    /** Runs {@code minisign -V}; the result's exit code is 0 only when both signatures verify. */
    public Processes.Result verify(Path file, Path signature) throws IOException {
        return run(List.of(BINARY, "-V", "-p", publicKey.toString(), "-m", file.toString(),
                "-x", signature.toString()));
    }

    private Processes.Result run(List<String> command) throws IOException {
        try {
            return Processes.run(workDir, command, TIMEOUT_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running minisign", e);
        }
    }
}
