package dev.signet.server.demo;

import dev.signet.publish.FileSigner;
import java.io.IOException;
import java.nio.file.Path;

/** Signs one index file; the demo wires this to Signet's minisign signer, tests to the minisign binary. */
@FunctionalInterface
public interface ArtifactSigner extends FileSigner {
    /**
     * Returns the complete {@code .minisig} file content for {@code file}. {@code fileName} is the name the file is
     * published under, which a signer should put in the trusted comment ({@code file:NAME}).
     */
    byte[] sign(Path file, String fileName) throws IOException;

    /** Signers that hash the file themselves ignore the digests the publisher computed. */
    @Override
    default byte[] sign(Path file, String fileName, dev.signet.publish.FileDigests digests) throws IOException {
        return sign(file, fileName);
    }
}
