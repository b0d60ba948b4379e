package dev.signet.fill;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Incremental SHA-256 (the index's hash and the cache's ETag) over bytes as they flow. */
final class ArtifactDigest {

    private final MessageDigest sha256;

    ArtifactDigest() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    void update(ByteBuffer buf) {
        sha256.update(buf);
    }

    String hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Constant-time comparison of two lowercase hex digests. */
    static boolean sameDigest(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                b.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
