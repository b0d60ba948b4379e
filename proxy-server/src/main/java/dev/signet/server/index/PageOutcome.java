package dev.signet.server.index;

import java.util.List;

/**
 * What the page cache did for one page view, as the access log's {@code cache=} shows it (nginx's
 * {@code $upstream_cache_status} in Signet's words): answered from the cache while fresh ({@code hit}), confirmed
 * unchanged by the upstream ({@code revalidated}, a {@code 304} or an unchanged signature), kept in use because the
 * upstream failed ({@code stale}), fetched from the upstream ({@code miss}, also a {@code 404} the upstream just gave),
 * or a "not found" remembered for {@code negative-ttl} ({@code negative}).
 */
public enum PageOutcome {
    HIT, REVALIDATED, MISS, STALE, NEGATIVE;

    /** The lower-case word the access log and {@code X-Signet-Cache} use. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * One word for a page merged from several upstream pages: the one that says most about upstream traffic wins
     * (stale over miss over revalidated over hit), so a page is a {@code hit} only when no upstream was asked.
     */
    public static PageOutcome merged(List<PageOutcome> parts) {
        PageOutcome worst = parts.isEmpty() ? HIT : parts.get(0);
        for (PageOutcome part : parts) {
            if (rank(part) > rank(worst)) {
                worst = part;
            }
        }
        return worst;
    }

    private static int rank(PageOutcome outcome) {
        return switch (outcome) {
            case HIT, NEGATIVE -> 0;
            case REVALIDATED -> 1;
            case MISS -> 2;
            case STALE -> 3;
        };
    }
}
