package dev.signet.server.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** SHA-256 helpers in the two encodings Python packaging uses: hex (index links) and url-safe base64 (RECORD). */
final class Digests {
    private static final int BUFFER = 64 * 1024;

    private Digests() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256, so this is a broken JDK, not a recoverable condition.
            throw new IllegalStateException("the JDK provides no SHA-256", e);
        }
    }

    static byte[] sha256(byte[] bytes) {
        return sha256().digest(bytes);
    }

    /** Hashes a file through a fixed buffer so that artifacts of any size hash in constant memory. */
    static byte[] sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return digest.digest();
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** The RECORD encoding required by the wheel spec: url-safe base64 without '=' padding. */
    static String recordHash(byte[] digest) {
        return "sha256=" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }
}
