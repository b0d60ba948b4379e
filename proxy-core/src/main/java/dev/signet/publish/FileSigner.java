package dev.signet.publish;

import java.io.IOException;
import java.nio.file.Path;

/** Writes the {@code .minisig} of one published file (a distribution or a {@code .metadata} file). */
@FunctionalInterface
public interface FileSigner {
    /**
     * Returns the complete {@code .minisig} content for {@code file}, which is already at its published path.
     * {@code fileName} is the name it is published under and belongs in the trusted comment ({@code file:NAME});
     * {@code digests} were computed from its bytes, so a signer that hashes with BLAKE2b need not read it again.
     */
    byte[] sign(Path file, String fileName, FileDigests digests) throws IOException;
}
