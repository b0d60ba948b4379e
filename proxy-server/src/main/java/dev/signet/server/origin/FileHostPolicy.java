package dev.signet.server.origin;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the origin fetches files from: the upstream's own host and the hosts in {@code origin.allowed-file-hosts}
 * (PyPI's pages link files.pythonhosted.org), over HTTPS when the upstream is HTTPS (no downgrade to a plain hop an
 * attacker could answer). A pure decision: a URL in, a reason out when it is refused. Redirects are checked with it too.
 */
record FileHostPolicy(String upstreamHost, boolean requireHttps, Set<String> allowedHosts) {

    /** Redirects followed for one file at most (PyPI needs none; a chain this long is a loop). */
    static final int MAX_REDIRECTS = 5;

    static FileHostPolicy of(URI upstream, List<String> allowedFileHosts) {
        Set<String> hosts = new TreeSet<>();
        allowedFileHosts.forEach(host -> hosts.add(host.toLowerCase(Locale.ROOT)));
        return new FileHostPolicy(upstream.getHost().toLowerCase(Locale.ROOT),
                "https".equalsIgnoreCase(upstream.getScheme()), Set.copyOf(hosts));
    }

    /** Why the origin will not fetch {@code url}, or empty when it may. */
    Optional<String> refusal(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && (requireHttps || !scheme.equals("http"))) {
            return Optional.of("file URL " + redacted(url) + " is not https:// (the upstream is, and TLS is what the"
                    + " origin checks)");
        }
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        if (url.getRawUserInfo() != null) {
            return Optional.of("file URL " + redacted(url) + " carries credentials");
        }
        if (!host.equals(upstreamHost) && !allowedHosts.contains(host)) {
            return Optional.of("file host " + host + " is neither the upstream's (" + upstreamHost
                    + ") nor listed in origin.allowed-file-hosts");
        }
        return Optional.empty();
    }

    private static String redacted(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "") + url.getRawPath();
    }
}
