package dev.signet.http;

import java.time.Instant;
import java.util.Optional;

/**
 * Conditional requests (RFC 9110 §13), evaluated in the order of §13.2.2.
 *
 * <p>{@code etag} is the current representation's entity-tag, or null if it has none;
 * {@code lastModified} its modification time, or null if unknown. A resource being served always
 * has a current representation, so {@code *} always matches. Header values are as received (lists
 * joined with commas); null or blank means absent. Date comparisons are at whole seconds, the
 * resolution of HTTP-dates.
 */
public final class Conditionals {

    private Conditionals() {
    }

    public static ConditionalOutcome evaluate(String method, String ifMatch, String ifUnmodifiedSince,
            String ifNoneMatch, String ifModifiedSince, String etag, Instant lastModified) {
        boolean getOrHead = "GET".equals(method) || "HEAD".equals(method);
        // Step 1 and 2: If-Match, else If-Unmodified-Since.
        if (present(ifMatch)) {
            if (!matches(ifMatch, etag, true)) {
                return ConditionalOutcome.PRECONDITION_FAILED;
            }
        } else if (present(ifUnmodifiedSince) && lastModified != null) {
            Optional<Instant> since = HttpDates.parse(ifUnmodifiedSince);
            if (since.isPresent() && seconds(lastModified) > since.get().getEpochSecond()) {
                return ConditionalOutcome.PRECONDITION_FAILED;
            }
        }
        // Step 3 and 4: If-None-Match, else If-Modified-Since (GET/HEAD only).
        if (present(ifNoneMatch)) {
            if (matches(ifNoneMatch, etag, false)) {
                return getOrHead ? ConditionalOutcome.NOT_MODIFIED : ConditionalOutcome.PRECONDITION_FAILED;
            }
        } else if (getOrHead && present(ifModifiedSince) && lastModified != null) {
            Optional<Instant> since = HttpDates.parse(ifModifiedSince);
            if (since.isPresent() && seconds(lastModified) <= since.get().getEpochSecond()) {
                return ConditionalOutcome.NOT_MODIFIED;
            }
        }
        return ConditionalOutcome.PROCEED;
    }

    /**
     * Whether a {@code Range} may be honoured given {@code If-Range} (§13.1.5): true when the
     * header is absent, or when it holds a strong entity-tag strongly equal to {@code etag}, or an
     * HTTP-date exactly equal to {@code lastModified}. A weak tag, anything unparseable or a
     * mismatch yields false: send the whole representation with 200.
     */
    public static boolean ifRangeAllows(String ifRange, String etag, Instant lastModified) {
        if (ifRange == null) {
            return true;
        }
        String value = Tokens.trimOws(ifRange);
        // §13.1.5: an entity-tag starts with DQUOTE or W/; anything else can only be a date.
        if (value.startsWith("\"") || value.startsWith("W/")) {
            Optional<EntityTag> theirs = EntityTag.parse(value);
            return etag != null && theirs.isPresent() && theirs.get().stronglyMatches(ETags.ours(etag));
        }
        Optional<Instant> date = HttpDates.parse(value);
        return lastModified != null && date.isPresent() && seconds(lastModified) == date.get().getEpochSecond();
    }

    private static boolean matches(String headerList, String etag, boolean strong) {
        if (etag == null) {
            // No tag to compare, but the representation exists: only "*" matches.
            return EntityTag.parseList(headerList).map(EntityTag.TagList::wildcard).orElse(false);
        }
        return strong ? ETags.strongMatch(headerList, etag) : ETags.weakMatch(headerList, etag);
    }

    private static boolean present(String header) {
        return header != null && !Tokens.trimOws(header).isEmpty();
    }

    private static long seconds(Instant t) {
        return t.getEpochSecond();
    }
}
