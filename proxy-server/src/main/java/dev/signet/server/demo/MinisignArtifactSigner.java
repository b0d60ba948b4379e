package dev.signet.server.demo;

import dev.signet.publish.FileDigests;
import dev.signet.publish.KeySigner;
import dev.signet.sig.MinisignSecretKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.signet.sig.MinisignSigner;

/** Signs index files with Signet's own minisign implementation (prehashed, trusted comment with {@code file:}). */
public record MinisignArtifactSigner(MinisignSecretKey key) implements ArtifactSigner {
    private static final String UNTRUSTED_COMMENT = "signature from the signet demo key";

    @Override
    public byte[] sign(Path file, String fileName) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return MinisignSigner.sign(key, in, fileName, null, UNTRUSTED_COMMENT).encode();
        }
    }

    /** The publisher hashed the file already: sign its BLAKE2b-512 instead of reading the file again. */
    @Override
    public byte[] sign(Path file, String fileName, FileDigests digests) {
        return new KeySigner(key, UNTRUSTED_COMMENT).sign(file, fileName, digests);
    }
}
