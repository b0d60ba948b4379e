package dev.signet.publish;

import java.util.HexFormat;

/**
 * Both digests of one published file, computed in one pass: SHA-256 for the index pages, BLAKE2b-512 for its
 * prehashed minisign signature.
 */
public record FileDigests(long size, byte[] sha256, byte[] blake2b512) {

    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256);
    }
}
