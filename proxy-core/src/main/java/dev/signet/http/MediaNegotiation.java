package dev.signet.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * PEP 691 content negotiation for simple-API pages, as a pure function of the request's {@code Accept} header and
 * {@code ?format=} value, plus the choice of a gzip content coding from {@code Accept-Encoding}.
 *
 * <p>Each offered format gets the quality of the most specific media range that matches it (an exact type beats
 * {@code type/*}, which beats {@code *}{@code /*}); the highest quality wins, ties go to the more specific match and
 * then to the order of {@link PageFormat} (plain {@code text/html} first, so browsers and old clients that send
 * {@code *}{@code /*} get what they always got). A missing Accept means {@code text/html} (PEP 691).
 */
public final class MediaNegotiation {

    /** The page formats Signet serves. */
    public enum PageFormat {
        TEXT_HTML("text/html", "text/html; charset=utf-8"),
        V1_HTML("application/vnd.pypi.simple.v1+html", "application/vnd.pypi.simple.v1+html; charset=utf-8"),
        V1_JSON("application/vnd.pypi.simple.v1+json", "application/vnd.pypi.simple.v1+json");

        private final String mediaType;
        private final String contentType;

        PageFormat(String mediaType, String contentType) {
            this.mediaType = mediaType;
            this.contentType = contentType;
        }

        /** The bare media type, as matched against Accept. */
        public String mediaType() {
            return mediaType;
        }

        /** The Content-Type header value of a response in this format. */
        public String contentType() {
            return contentType;
        }

        public boolean isJson() {
            return this == V1_JSON;
        }
    }

    /** The outcome: a format, nothing acceptable (406), or a malformed request (400). */
    public sealed interface Outcome permits Chosen, NotAcceptable, Malformed {}

    public record Chosen(PageFormat format) implements Outcome {}

    public record NotAcceptable(String reason) implements Outcome {}

    public record Malformed(String reason) implements Outcome {}

    private static final String LATEST_JSON = "application/vnd.pypi.simple.latest+json";
    private static final String LATEST_HTML = "application/vnd.pypi.simple.latest+html";
    private static final int MAX_HEADER = 4096;

    private MediaNegotiation() {
    }

    /**
     * @param accept the Accept header (several headers joined with commas), or null when absent
     * @param format the {@code format} query parameter, or null when absent; when present it overrides Accept
     */
    public static Outcome negotiate(String accept, String format) {
        if (format != null) {
            return byFormatParameter(format);
        }
        if (accept == null || Tokens.trimOws(accept).isEmpty()) {
            return new Chosen(PageFormat.TEXT_HTML);
        }
        if (accept.length() > MAX_HEADER) {
            return new Malformed("Accept header longer than " + MAX_HEADER + " characters");
        }
        List<Range> ranges = new ArrayList<>();
        for (String part : accept.split(",")) {
            String trimmed = Tokens.trimOws(part);
            if (trimmed.isEmpty()) {
                continue;
            }
            Optional<Range> range = Range.parse(trimmed);
            if (range.isEmpty()) {
                return new Malformed("malformed media range in Accept: \"" + printable(trimmed) + "\"");
            }
            ranges.add(range.get());
        }
        PageFormat best = null;
        double bestQ = 0;
        int bestSpecificity = -1;
        for (PageFormat candidate : PageFormat.values()) {
            Range match = bestMatch(ranges, candidate);
            if (match == null || match.q <= 0) {
                continue;
            }
            int specificity = match.specificity();
            if (match.q > bestQ || (match.q == bestQ && specificity > bestSpecificity)) {
                best = candidate;
                bestQ = match.q;
                bestSpecificity = specificity;
            }
        }
        if (best == null) {
            return new NotAcceptable("none of the acceptable types is served here; available: "
                    + PageFormat.V1_JSON.mediaType() + ", " + PageFormat.V1_HTML.mediaType() + ", "
                    + PageFormat.TEXT_HTML.mediaType());
        }
        return new Chosen(best);
    }

    /**
     * Whether the response may be gzip-encoded (RFC 9110 §12.5.3): {@code gzip} (or {@code x-gzip}) with a non-zero
     * quality, or {@code *} with a non-zero quality and gzip not refused explicitly. Malformed entries count as
     * absent: the identity coding is always a safe answer.
     */
    public static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        Double gzip = null;
        Double any = null;
        for (String part : acceptEncoding.split(",")) {
            String[] pieces = part.split(";");
            if (pieces.length == 0) {
                // Only semicolons: split drops every (empty) piece. No coding named, so nothing to count.
                continue;
            }
            String coding = Tokens.trimOws(pieces[0]).toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < pieces.length; i++) {
                String param = Tokens.trimOws(pieces[i]);
                if (param.regionMatches(true, 0, "q=", 0, 2)) {
                    Double parsed = quality(param.substring(2));
                    q = parsed == null ? 0 : parsed;
                }
            }
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                gzip = gzip == null ? q : Math.max(gzip, q);
            } else if (coding.equals("*")) {
                any = q;
            }
        }
        if (gzip != null) {
            return gzip > 0;
        }
        return any != null && any > 0;
    }

    private static Outcome byFormatParameter(String format) {
        String type = Tokens.trimOws(format).toLowerCase(Locale.ROOT);
        if (type.equals(LATEST_JSON)) {
            return new Chosen(PageFormat.V1_JSON);
        }
        if (type.equals(LATEST_HTML)) {
            return new Chosen(PageFormat.V1_HTML);
        }
        for (PageFormat candidate : PageFormat.values()) {
            if (candidate.mediaType().equals(type)) {
                return new Chosen(candidate);
            }
        }
        return new NotAcceptable("format \"" + printable(format) + "\" is not served here; available: "
                + PageFormat.V1_JSON.mediaType() + ", " + PageFormat.V1_HTML.mediaType() + ", "
                + PageFormat.TEXT_HTML.mediaType());
    }

    /** The most specific range matching the candidate; {@code latest} aliases count as exact (PEP 691). */
    private static Range bestMatch(List<Range> ranges, PageFormat candidate) {
        Range best = null;
        for (Range range : ranges) {
            if (range.matches(candidate) && (best == null || range.specificity() > best.specificity())) {
                best = range;
            }
        }
        return best;
    }

    private static Double quality(String text) {
        // RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
        if (!text.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?")) {
            return null;
        }
        return Double.parseDouble(text.endsWith(".") ? text + "0" : text);
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c >= 0x7f ? '?' : c);
        }
        return out.toString();
    }

    private record Range(String type, String subtype, double q) {

        static Optional<Range> parse(String text) {
            String[] pieces = text.split(";");
            if (pieces.length == 0) {
                // Only semicolons: split drops every (empty) piece, and there is no media range.
                return Optional.empty();
            }
            String mediaRange = Tokens.trimOws(pieces[0]).toLowerCase(Locale.ROOT);
            int slash = mediaRange.indexOf('/');
            if (slash <= 0 || slash == mediaRange.length() - 1 || mediaRange.indexOf('/', slash + 1) >= 0) {
                return Optional.empty();
            }
            String type = mediaRange.substring(0, slash);
            String subtype = mediaRange.substring(slash + 1);
            if (!isToken(type) || !isToken(subtype) || (type.equals("*") && !subtype.equals("*"))) {
                return Optional.empty();
            }
            double q = 1;
            for (int i = 1; i < pieces.length; i++) {
                String param = Tokens.trimOws(pieces[i]);
                int eq = param.indexOf('=');
                if (eq <= 0) {
                    return Optional.empty();
                }
                if (param.substring(0, eq).trim().equalsIgnoreCase("q")) {
                    Double parsed = quality(param.substring(eq + 1).trim());
                    if (parsed == null) {
                        return Optional.empty();
                    }
                    q = parsed;
                }
            }
            return Optional.of(new Range(type, subtype, q));
        }

        boolean matches(PageFormat format) {
            String media = format.mediaType();
            String full = type + "/" + subtype;
            if (full.equals(media)) {
                return true;
            }
            if (format == PageFormat.V1_JSON && full.equals(LATEST_JSON)) {
                return true;
            }
            if (format == PageFormat.V1_HTML && full.equals(LATEST_HTML)) {
                return true;
            }
            if (type.equals("*")) {
                return true;
            }
            return subtype.equals("*") && media.startsWith(type + "/");
        }

        int specificity() {
            if (type.equals("*")) {
                return 0;
            }
            return subtype.equals("*") ? 1 : 2;
        }

        private static boolean isToken(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
                if (!ok) {
                    return false;
                }
            }
            return !s.isEmpty();
        }
    }
}
