package dev.signet.index;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Hash names and hex digests as the simple API carries them: validation, the {@code name=hex} form of
 * URL fragments and metadata attributes, and the choice of the one hash an HTML link can carry.
 */
final class Digests {

    /** hashlib names (PEP 503 asks for one of hashlib's guaranteed algorithms) with their digest length. */
    private static final Map<String, Integer> HEX_LENGTHS = Map.ofEntries(
            Map.entry("md5", 32),
            Map.entry("sha1", 40),
            Map.entry("sha224", 56),
            Map.entry("sha256", 64),
            Map.entry("sha384", 96),
            Map.entry("sha512", 128),
            Map.entry("sha3_224", 56),
            Map.entry("sha3_256", 64),
            Map.entry("sha3_384", 96),
            Map.entry("sha3_512", 128),
            // blake2 digests come in several lengths (uv uses blake2b-256, hashlib defaults to 512 bits).
            Map.entry("blake2b", -1),
            Map.entry("blake2s", -1));

    /**
     * pip and uv read only one hash from a link fragment (older uv even fails on two), so HTML carries one:
     * sha256 first because Signet checks it, then the strongest of the rest.
     */
    private static final List<String> HTML_PREFERENCE =
            List.of("sha256", "sha512", "sha384", "sha224", "sha1", "md5");

    private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,32}");
    private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2}){1,128}");

    private Digests() {}

    static boolean isKnownAlgorithm(String name) {
        return HEX_LENGTHS.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Checks one hash entry and adds it (name and digest lowercased) unless the name is already there.
     *
     * @param where names the file for the error message
     */
    static void put(Map<String, String> into, String name, String hex, String where) throws IndexFormatException {
        String algorithm = name.toLowerCase(Locale.ROOT);
        if (!NAME.matcher(algorithm).matches()) {
            throw new IndexFormatException(where + ": invalid hash name \"" + name + "\"");
        }
        if (!HEX.matcher(hex).matches()) {
            throw new IndexFormatException(where + ": " + algorithm + " digest is not hex: \"" + hex + "\"");
        }
        Integer expected = HEX_LENGTHS.get(algorithm);
        if (expected != null && expected > 0 && hex.length() != expected) {
            throw new IndexFormatException(where + ": " + algorithm + " digest has " + hex.length()
                    + " hex digits, expected " + expected);
        }
        into.putIfAbsent(algorithm, hex.toLowerCase(Locale.ROOT));
    }

    /**
     * Reads the hashes of a URL fragment such as {@code sha256=ab..&md5=cd..}. Parts that are not a known
     * hash (like {@code egg=name}) are not hashes and are ignored; a known hash with a bad digest is refused.
     */
    static Map<String, String> fromFragment(String fragment, String where) throws IndexFormatException {
        Map<String, String> hashes = new LinkedHashMap<>();
        if (fragment == null || fragment.isEmpty()) {
            return hashes;
        }
        for (String part : fragment.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0 && isKnownAlgorithm(part.substring(0, eq))) {
                put(hashes, part.substring(0, eq), part.substring(eq + 1), where);
            }
        }
        return hashes;
    }

    /** The one {@code name=hex} an HTML link or metadata attribute carries, if any hash qualifies. */
    static Optional<String> preferredPair(Map<String, String> hashes) {
        for (String algorithm : HTML_PREFERENCE) {
            String hex = hashes.get(algorithm);
            if (hex != null) {
                return Optional.of(algorithm + "=" + hex);
            }
        }
        return Optional.empty();
    }
}
