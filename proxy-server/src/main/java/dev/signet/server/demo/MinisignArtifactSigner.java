package dev.signet.server.demo;

import dev.signet.sig.MinisignSecretKey;
import dev.signet.sig.MinisignSigner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Signs index files with Signet's own minisign implementation (prehashed, trusted comment with {@code file:}). */
public record MinisignArtifactSigner(MinisignSecretKey key) implements ArtifactSigner {

    @Override
    public byte[] sign(Path file, String fileName) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return MinisignSigner.sign(key, in, fileName, null, "signature from the signet demo key").encode();
        }
    }
}
