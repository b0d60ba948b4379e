package dev.signet.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What to answer a request for an artifact that has no verdict yet (its fill or re-verification is still running), as
 * a pure function of how long this request has waited, how many redirect hops its client already followed, and how
 * many it follows at most.
 *
 * <p>No byte may go out before the whole file is verified, so a client waiting for a long fill sees nothing and its
 * read timeout fires (pip: 15 s). Instead, after {@code redirectAfter} without a verdict the request is answered
 * {@code 307 Temporary Redirect} to the same artifact with the next hop number in the query ({@code ?signet-wait=N}):
 * the client sends a new request, its read timer starts again, and the new request joins the same fill. The query
 * changes on every hop because some clients refuse a redirect to the URL they just asked for. A client follows only so
 * many redirects (Requests: 30; uv: 10; see {@link #hopLimit}); on the hop where it would follow no more, the request
 * is held until the verdict and the client's own read timeout decides. Like Varnish's {@code waitinglist} with a bounded
 * wait, but the waiting happens in the client's redirect loop. {@code redirectAfter} zero turns redirects off.
 */
public record FillRedirectPolicy(Duration redirectAfter) {

    /** The query parameter carrying the hop number; ignored by routing and cache keys. */
    public static final String HOP_PARAMETER = "signet-wait";
    /** Hop numbers above this are read as this: nothing needs more, and the number must stay a small int. */
    static final int MAX_HOP = 1000;

    public static final FillRedirectPolicy OFF = new FillRedirectPolicy(Duration.ZERO);

    public FillRedirectPolicy {
        Objects.requireNonNull(redirectAfter, "redirectAfter");
        if (redirectAfter.isNegative()) {
            throw new IllegalArgumentException("redirectAfter must not be negative: " + redirectAfter);
        }
    }

    /** What to do now with a request that has no verdict yet. */
    public sealed interface Decision {

        /** Keep waiting for the verdict; ask again after this many milliseconds. */
        record Wait(long millis) implements Decision {}

        /** Answer 307 to the same artifact with this hop number. */
        record Redirect(int nextHop) implements Decision {}

        /** Hold the request until the verdict, however long it takes (no redirects, or the client follows no more). */
        record Hold() implements Decision {}
    }

    /**
     * @param waitedMillis how long this request (this hop) has waited so far
     * @param hop          redirects its client already followed to get here (0 on the first request)
     * @param hopLimit     redirects its client follows at most (see {@link #hopLimit(String)})
     */
    public Decision decide(long waitedMillis, int hop, int hopLimit) {
        if (redirectAfter.isZero() || hop >= hopLimit) {
            return new Decision.Hold();
        }
        long remaining = redirectAfter.toMillis() - Math.max(0, waitedMillis);
        if (remaining > 0) {
            return new Decision.Wait(remaining);
        }
        return new Decision.Redirect(hop + 1);
    }

    /**
     * How many of these redirects the client that sent {@code userAgent} is given: as many as it follows, and only if it
     * is an installer known to follow them. pip, poetry and anything else on Requests raise {@code TooManyRedirects}
     * after {@code Session.max_redirects}, 30, which none of them changes. uv follows 10 and then returns the eleventh
     * redirect as if it were the file, so it must never get an eleventh. Every other client (curl without {@code -L},
     * scripts, browsers) gets none: one that does not follow redirects would take the empty 307 for the file, so it
     * waits for the verdict as it always did. A client that lies about itself only changes how its own requests are
     * answered.
     */
    public static int hopLimit(String userAgent) {
        if (userAgent == null) {
            return 0;
        }
        if (userAgent.startsWith("pip/") || userAgent.startsWith("poetry/") || userAgent.startsWith("python-requests/")) {
            return 30;
        }
        if (userAgent.startsWith("uv/")) {
            return 10;
        }
        return 0;
    }

    /**
     * The hop number in a request target's query ({@code /packages/p/f?signet-wait=3} gives 3); 0 when absent or not a
     * number. A client can only choose its own number, which changes nothing but how its own request is answered.
     */
    public static int hopOf(String requestTarget) {
        int query = requestTarget.indexOf('?');
        if (query < 0) {
            return 0;
        }
        for (String parameter : requestTarget.substring(query + 1).split("&")) {
            if (parameter.startsWith(HOP_PARAMETER + "=")) {
                return parseHop(parameter.substring(HOP_PARAMETER.length() + 1));
            }
        }
        return 0;
    }

    private static int parseHop(String digits) {
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        return Math.min(Integer.parseInt(digits), MAX_HOP);
    }

    /** The redirect target for hop {@code hop}: the artifact's own path (already encoded) with the hop number. */
    public static String location(String encodedPath, int hop) {
        return encodedPath + "?" + HOP_PARAMETER + "=" + hop;
    }
}
