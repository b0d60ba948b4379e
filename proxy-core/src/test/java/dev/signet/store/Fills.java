package dev.signet.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Test helpers: records that describe given bytes, and fills that write them. */
final class Fills {

    static final long VERIFIED_AT = 1_700_000_000_000L;

    private Fills() {
    }

    static ArtifactRecord recordFor(byte[] data) {
        return recordFor(data, "sig for " + new String(data, StandardCharsets.ISO_8859_1));
    }

    static ArtifactRecord recordFor(byte[] data, String signatureText) {
        return new ArtifactRecord(sha256(data), data.length, "E5C0FFEE12345678",
                signatureText.getBytes(StandardCharsets.UTF_8), VERIFIED_AT);
    }

    static PendingFill written(ArtifactStore store, ArtifactKey key, byte[] data) throws IOException {
        PendingFill fill = store.beginFill(key);
        fill.write(ByteBuffer.wrap(data));
        return fill;
    }

    static StoredArtifact commit(ArtifactStore store, ArtifactKey key, byte[] data) throws IOException {
        try (PendingFill fill = written(store, key, data)) {
            return fill.commit(recordFor(data));
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
