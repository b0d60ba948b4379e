package dev.signet.server.cli;

import dev.signet.sig.MinisignSecretKey;
import dev.signet.sig.MinisignSignature;
import dev.signet.sig.MinisignSigner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code signet sign}: prehashed minisign signatures, {@code FILE.minisig} next to each file. */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = {"Sign files with a minisign secret key (prehashed ED signatures).",
                "Writes FILE.minisig next to each FILE; the trusted comment carries timestamp: and file: like minisign's."})
final class SignCommand implements Callable<Integer> {

    @Option(names = {"-s", "--secret-key"}, paramLabel = "FILE", defaultValue = "signet.key", description = "Secret key (default ${DEFAULT-VALUE}).")
    Path secretKey;

    @Option(names = "--password-file", paramLabel = "FILE", description = "Password of an encrypted secret key (first line of FILE).")
    Path passwordFile;

    @Option(names = {"-t", "--trusted-comment"}, paramLabel = "TEXT", description = "Trusted comment instead of timestamp:/file:.")
    String trustedComment;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to sign.")
    List<Path> files;

    @Override
    public Integer call() throws IOException {
        MinisignSecretKey key;
        try {
            key = SecretKeys.load(secretKey, passwordFile);
        } catch (SecretKeys.KeyException e) {
            return Errors.fail(e.getMessage());
        }
        for (Path file : files) {
            MinisignSignature signature;
            try (InputStream in = Files.newInputStream(file)) {
                signature = MinisignSigner.sign(key, in, file.getFileName().toString(), trustedComment, null);
            }
            Path out = file.resolveSibling(file.getFileName() + ".minisig");
            Files.write(out, signature.encode());
            System.out.println("signed " + file + " -> " + out);
        }
        return 0;
    }
}
