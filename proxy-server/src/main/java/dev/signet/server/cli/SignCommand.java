package dev.signet.server.cli;

import dev.signet.sig.MinisignSecretKey;
import dev.signet.sig.MinisignSignature;
import dev.signet.sig.MinisignSigner;
import dev.signet.sig.TrustedComment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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

    @Option(names = {"-t", "--trusted-comment"}, paramLabel = "TEXT",
            description = {"Trusted comment instead of timestamp:/file:. Signet (require-file-name: true, the default)",
                    "refuses a signature whose trusted comment has no file:NAME field (TAB-separated) naming the file."})
    String trustedComment;

    @Option(names = {"-f", "--force"}, description = "Sign even when the trusted comment lacks file: or names another file.")
    boolean force;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to sign.")
    List<Path> files;

    @Override
    public Integer call() {
        MinisignSecretKey key;
        try {
            key = SecretKeys.load(secretKey, passwordFile);
        } catch (SecretKeys.KeyException e) {
            return Errors.fail(e.getMessage());
        }
        List<String> refusable = trustedComment == null ? List.of() : files.stream()
                .map(file -> fileFieldProblem(trustedComment, file.getFileName().toString()))
                .filter(problem -> problem != null).distinct().toList();
        if (!refusable.isEmpty() && !force) {
            return Errors.report("nothing signed; Signet's default policy would refuse these signatures "
                    + "(add file:NAME to -t, or --force to sign anyway)", refusable);
        }
        refusable.forEach(problem -> System.err.println("signet: warning: " + problem));
        // Every named file is checked before the first is signed: a typo in the last name must not leave half a
        // release signed.
        List<String> unreadable = files.stream().filter(file -> !Files.isRegularFile(file) || !Files.isReadable(file))
                .map(file -> file + ": " + (!Files.exists(file) ? "no such file"
                        : Files.isDirectory(file) ? "is a folder (name the files to sign)" : "not readable"))
                .toList();
        if (!unreadable.isEmpty()) {
            return Errors.report("nothing signed; cannot sign", unreadable);
        }
        for (Path file : files) {
            MinisignSignature signature;
            try (InputStream in = Files.newInputStream(file)) {
                signature = MinisignSigner.sign(key, in, file.getFileName().toString(), trustedComment, null);
            } catch (IOException e) {
                return Errors.cannot("read", file, e);
            }
            Path out = file.resolveSibling(file.getFileName() + ".minisig");
            try {
                Files.write(out, signature.encode());
            } catch (IOException e) {
                return Errors.cannot("write signature", out, e);
            }
            System.out.println("signed " + file + " -> " + out);
        }
        return 0;
    }

    /** Why Signet would refuse a signature with {@code comment} for {@code fileName}, or {@code null}. */
    private static String fileFieldProblem(String comment, String fileName) {
        Optional<String> named = TrustedComment.fileName(comment);
        if (named.isEmpty()) {
            return "trusted comment '" + comment + "' has no file: field (refused unless require-file-name: false)";
        }
        return named.get().equals(fileName) ? null
                : "trusted comment names file:" + named.get() + ", not " + fileName + " (refused as a name mismatch)";
    }
}
