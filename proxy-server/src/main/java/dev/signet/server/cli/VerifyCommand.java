package dev.signet.server.cli;

import dev.signet.server.config.KeyringFactory;
import dev.signet.sig.ArtifactVerification;
import dev.signet.sig.FileNamePolicy;
import dev.signet.sig.Keyring;
import dev.signet.sig.MinisignPublicKey;
import dev.signet.sig.SignatureFormatException;
import dev.signet.sig.TrustedKey;
import dev.signet.sig.VerificationException;
import dev.signet.sig.VerificationResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code signet verify}: the same checks the proxy makes, for one file. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify FILE against FILE.minisig (or --signature) with the same checks the proxy makes.",
                "Exit code 0 when valid, 1 when refused."})
final class VerifyCommand implements Callable<Integer> {

    @Option(names = {"-k", "--key"}, paramLabel = "KEY", required = true, description = "Public key: RW... or @path/to/key.pub.")
    String key;

    @Option(names = {"-x", "--signature"}, paramLabel = "SIGFILE", description = "Signature file (default FILE.minisig).")
    Path signature;

    @Option(names = "--allow-legacy", description = "Accept legacy (non-prehashed) signatures.")
    boolean allowLegacy;

    @Option(names = "--allow-missing-file-name", description = "Accept a trusted comment without file:.")
    boolean allowMissingFileName;

    @Parameters(paramLabel = "FILE", description = "The file to verify.")
    Path file;

    @Override
    public Integer call() throws IOException {
        MinisignPublicKey publicKey;
        try {
            publicKey = KeyringFactory.readKey(key);
        } catch (SignatureFormatException e) {
            return Errors.fail("invalid public key: " + e.getMessage());
        } catch (IOException e) {
            return Errors.cannot("read public key file", key.substring(1), e);
        }
        if (!Files.isRegularFile(file)) {
            return Errors.fail("cannot verify " + file + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
        }
        Keyring keyring = new Keyring(List.of(new TrustedKey(publicKey, allowLegacy, TrustedKey.MAX_LEGACY_BYTES, List.of())), Set.of(),
                allowMissingFileName ? FileNamePolicy.ALLOW_MISSING : FileNamePolicy.REQUIRE);
        Path sigFile = signature != null ? signature : file.resolveSibling(file.getFileName() + ".minisig");
        byte[] sig;
        try {
            sig = Files.readAllBytes(sigFile);
        } catch (NoSuchFileException e) {
            sig = null;
        } catch (IOException e) {
            return Errors.cannot("read signature file", sigFile, e);
        }
        String name = file.getFileName().toString();
        try {
            // The project scope of a key does not apply to a single file checked by hand.
            ArtifactVerification verification = keyring.begin("-", name, sig);
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    verification.update(buf, 0, n);
                }
            }
            VerificationResult result = verification.finish();
            System.out.println("Signature and comment signature verified");
            System.out.println("Trusted comment: " + result.trustedComment());
            return 0;
        } catch (VerificationException e) {
            System.err.println(e.getMessage());
            return 1;
        } catch (IOException e) {
            return Errors.cannot("read", file, e);
        }
    }
}
