package dev.signet.http;

import java.util.Optional;
import java.util.regex.Pattern;

/** Entity tags (RFC 9110 §8.8.3) for artifacts, and matching them against request header lists. */
public final class ETags {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private ETags() {
    }

    /**
     * The strong ETag of an artifact whose content has this SHA-256, e.g. {@code "sha256-ab12..."}
     * including the quotes. Content-derived, so every Signet instance and restart agrees on it.
     */
    public static String strongFromSha256(String sha256Hex) {
        if (sha256Hex == null || !SHA256_HEX.matcher(sha256Hex).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits: " + sha256Hex);
        }
        return "\"sha256-" + sha256Hex + "\"";
    }

    /**
     * Whether {@code etag} matches {@code headerList} ({@code "*"} or a list such as
     * {@code "a", W/"b"}) by weak comparison, as {@code If-None-Match} requires. A malformed or
     * missing list matches nothing.
     */
    public static boolean weakMatch(String headerList, String etag) {
        EntityTag ours = ours(etag);
        return list(headerList)
                .map(l -> l.wildcard() || l.tags().stream().anyMatch(t -> t.weaklyMatches(ours)))
                .orElse(false);
    }

    /**
     * Whether {@code etag} matches {@code headerList} by strong comparison, as {@code If-Match}
     * requires: weak tags on either side never match. A malformed or missing list matches nothing.
     */
    public static boolean strongMatch(String headerList, String etag) {
        EntityTag ours = ours(etag);
        return list(headerList)
                .map(l -> l.wildcard() || l.tags().stream().anyMatch(t -> t.stronglyMatches(ours)))
                .orElse(false);
    }

    private static Optional<EntityTag.TagList> list(String headerList) {
        return headerList == null ? Optional.empty() : EntityTag.parseList(headerList);
    }

    /** Our own ETag is produced by the server: malformed means a bug, not bad input. */
    static EntityTag ours(String etag) {
        if (etag == null) {
            throw new IllegalArgumentException("etag is null");
        }
        return EntityTag.parse(etag).orElseThrow(
                () -> new IllegalArgumentException("etag is not a valid entity-tag: " + etag));
    }
}
