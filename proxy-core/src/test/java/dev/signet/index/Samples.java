package dev.signet.index;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** Digests and builders shared by the index tests. */
final class Samples {

    static final URI PAGE = URI.create("https://pypi.example/simple/foo/");
    static final String SHA256_A = "a".repeat(64);
    static final String SHA256_B = "0123456789abcdef".repeat(4);
    static final String MD5_A = "c".repeat(32);
    static final String SHA512_A = "d".repeat(128);

    private Samples() {}

    static Map<String, String> hashes(String... nameThenHex) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < nameThenHex.length; i += 2) {
            map.put(nameThenHex[i], nameThenHex[i + 1]);
        }
        return map;
    }

    static DistributionFile plain(String filename) {
        return new DistributionFile(filename, URI.create("https://files.example/packages/" + filename),
                hashes("sha256", SHA256_A), null, null, null, null, null, null);
    }

    /** Maps every file back to its upstream URL, so a re-parse sees the same URL. */
    static String upstream(DistributionFile file) {
        return file.url().toString();
    }
}
