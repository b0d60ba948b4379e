package dev.signet.server.upstream;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The credentials of one upstream index: HTTP basic auth from the {@code user:pass@} part of its URL, or a bearer
 * token. They are sent only to the scheme, host and port of the index URL they came with, so a page that links files
 * on another host (a CDN, or a hostile page pointing at an attacker's server) never receives them. {@link #toString}
 * never shows them.
 */
public final class Credentials {

    public static final Credentials NONE = new Credentials(null, null, -1, null);

    private final String scheme;
    private final String host;
    private final int port;
    private final String authorization;

    private Credentials(String scheme, String host, int port, String authorization) {
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.authorization = authorization;
    }

    /**
     * @param indexUrl the configured index URL, possibly with {@code user:pass@}
     * @param token    a bearer token, or null
     * @throws IllegalArgumentException when both user info and a token are given
     */
    public static Credentials of(URI indexUrl, String token) {
        String userInfo = indexUrl.getRawUserInfo();
        boolean hasToken = token != null && !token.isBlank();
        if (userInfo != null && hasToken) {
            throw new IllegalArgumentException("give either user:pass@ in the URL or a token, not both");
        }
        String authorization;
        if (userInfo != null) {
            String decoded = java.net.URLDecoder.decode(userInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
            authorization = "Basic " + Base64.getEncoder().encodeToString(decoded.getBytes(StandardCharsets.UTF_8));
        } else if (hasToken) {
            if (token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new IllegalArgumentException("token must be printable ASCII without spaces");
            }
            authorization = "Bearer " + token.trim();
        } else {
            return NONE;
        }
        String scheme = indexUrl.getScheme().toLowerCase(Locale.ROOT);
        return new Credentials(scheme, indexUrl.getHost().toLowerCase(Locale.ROOT), effectivePort(indexUrl), authorization);
    }

    /** The index URL without user info: what is fetched, resolved against and logged. */
    public static URI withoutUserInfo(URI url) {
        if (url.getRawUserInfo() == null) {
            return url;
        }
        return URI.create(url.getScheme() + "://" + (url.getRawAuthority().substring(url.getRawAuthority().indexOf('@') + 1))
                + (url.getRawPath() == null ? "" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
    }

    /** The headers to add to a request for {@code target}: the credentials only for their own origin. */
    public Map<String, String> headersFor(URI target) {
        if (authorization == null || !appliesTo(target)) {
            return Map.of();
        }
        return Map.of("Authorization", authorization);
    }

    boolean appliesTo(URI target) {
        return target.getScheme() != null && target.getHost() != null
                && scheme.equals(target.getScheme().toLowerCase(Locale.ROOT))
                && host.equals(target.getHost().toLowerCase(Locale.ROOT))
                && port == effectivePort(target);
    }

    public boolean isPresent() {
        return authorization != null;
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials c && Objects.equals(scheme, c.scheme) && Objects.equals(host, c.host)
                && port == c.port && Objects.equals(authorization, c.authorization);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, host, port);
    }

    @Override
    public String toString() {
        return authorization == null ? "no credentials" : "credentials for " + scheme + "://" + host + ":" + port;
    }
}
