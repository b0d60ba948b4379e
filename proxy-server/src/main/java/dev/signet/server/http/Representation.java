package dev.signet.server.http;

import dev.signet.http.ETags;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * One encoded form of a rendered page: its bytes and a strong ETag derived from exactly those bytes, so the identity
 * and the gzip form of a page, and its HTML and JSON forms, never share a tag.
 */
record Representation(byte[] body, String etag, boolean gzipped) {

    static Representation of(byte[] body, boolean gzipped) {
        return new Representation(body, ETags.strongFromSha256(sha256Hex(body)), gzipped);
    }

    /** Compressed once per rendered page; pages are small next to the heap and compress about tenfold. */
    Representation gzip() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 6));
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192)) {
            gzip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("compressing a page in memory failed", e);
        }
        return of(out.toByteArray(), true);
    }

    private static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
