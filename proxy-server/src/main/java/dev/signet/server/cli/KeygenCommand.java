package dev.signet.server.cli;

import dev.signet.sig.MinisignKeyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code signet keygen}: a minisign-compatible key pair. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Generate a minisign-compatible Ed25519 key pair.",
                "The secret key is written unencrypted (like minisign -W) unless --password-file is given;",
                "keep it off shared disks and readable only by the signing job."})
final class KeygenCommand implements Callable<Integer> {

    @Option(names = {"-p", "--public-key"}, paramLabel = "FILE", defaultValue = "signet.pub", description = "Public key file (default ${DEFAULT-VALUE}).")
    Path publicKey;

    @Option(names = {"-s", "--secret-key"}, paramLabel = "FILE", defaultValue = "signet.key", description = "Secret key file (default ${DEFAULT-VALUE}).")
    Path secretKey;

    @Option(names = {"-f", "--force"}, description = "Overwrite existing key files.")
    boolean force;

    @Option(names = "--password-file", paramLabel = "FILE", description = "Encrypt the secret key with the password in FILE (first line).")
    Path passwordFile;

    @Override
    public Integer call() {
        if (!force && (Files.exists(publicKey) || Files.exists(secretKey))) {
            return Errors.fail("key file exists (" + (Files.exists(secretKey) ? secretKey : publicKey) + "); use --force to overwrite");
        }
        for (Path file : List.of(publicKey, secretKey)) {
            Path folder = file.toAbsolutePath().getParent();
            if (folder != null && !Files.isDirectory(folder)) {
                return Errors.fail("cannot write " + file + ": folder " + folder + " does not exist");
            }
        }
        char[] password;
        try {
            password = passwordFile == null ? null : Passwords.read(passwordFile);
        } catch (IOException e) {
            return Errors.cannot("read password file", passwordFile, e);
        }
        MinisignKeyPair pair = MinisignKeyPair.generate(new SecureRandom());
        String secretText;
        try {
            secretText = pair.secretKey().toFileText(password);
        } catch (IllegalArgumentException e) {
            // scrypt's memory need against the heap: a setting of this run, not a bug.
            return Errors.fail("cannot encrypt the secret key: " + e.getMessage());
        }
        try {
            writePrivate(secretKey, secretText);
        } catch (IOException e) {
            return Errors.cannot("write secret key", secretKey, e);
        }
        try {
            Files.writeString(publicKey, pair.publicKey().toFileText(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Errors.cannot("write public key", publicKey, e);
        }
        System.out.println("Key id " + pair.publicKey().keyId());
        System.out.println("Public key (" + publicKey + "): " + pair.publicKey().encoded());
        System.out.println("Secret key: " + secretKey + (password == null ? " (unencrypted)" : " (encrypted)"));
        System.out.println("Trust it with: signet serve --trusted-key " + pair.publicKey().encoded() + " ...");
        return 0;
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            // No POSIX permissions on this filesystem (e.g. Windows): the file gets the directory's defaults, so say so.
            Files.createFile(file);
            System.err.println("warning: cannot restrict " + file + " to its owner on this filesystem; "
                    + "protect the secret key yourself");
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
