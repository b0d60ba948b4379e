package dev.signet.server.metrics;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream host names as tag values, bounded: index pages may point files at any host, so only the first
 * {@value #MAX} distinct hosts get their own label and every later one is {@code other}.
 */
final class UpstreamLabels {

    static final int MAX = 16;

    private final Set<String> known = ConcurrentHashMap.newKeySet();

    String label(String host) {
        String h = host == null ? "unknown" : host.toLowerCase(Locale.ROOT);
        if (known.contains(h)) {
            return h;
        }
        synchronized (known) {
            if (known.size() < MAX) {
                known.add(h);
                return h;
            }
        }
        return "other";
    }
}
