package dev.signet.http;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP-date (RFC 9110 §5.6.7). Always sent as IMF-fixdate; also read in the obsolete RFC 850 and
 * asctime forms, as recipients must. Parsing is exact and case-sensitive, and the day name must
 * agree with the date: anything else is not an HTTP-date, and callers ignore such headers.
 */
public final class HttpDates {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private static final String DAY = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
    private static final String LONG_DAY = "(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
    private static final String MONTH = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
    private static final String TIME = "(\\d{2}):(\\d{2}):(\\d{2})";

    /** Sun, 06 Nov 1994 08:49:37 GMT */
    private static final Pattern IMF = Pattern.compile(DAY + ", (\\d{2}) " + MONTH + " (\\d{4}) " + TIME + " GMT");
    /** Sunday, 06-Nov-94 08:49:37 GMT */
    private static final Pattern RFC850 = Pattern.compile(LONG_DAY + ", (\\d{2})-" + MONTH + "-(\\d{2}) " + TIME + " GMT");
    /** Sun Nov  6 08:49:37 1994 */
    private static final Pattern ASCTIME = Pattern.compile(DAY + " " + MONTH + " (\\d{2}| \\d) " + TIME + " (\\d{4})");

    private static final List<String> MONTHS =
            List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");

    private static final Instant FIRST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private HttpDates() {
    }

    /** A formatted second; immutable, so a slot of {@link #RECENT} can be replaced by any thread without a lock. */
    private record Formatted(long epochSecond, String text) {}

    /**
     * The last formatted seconds, by {@code epochSecond mod} the table size. Every artifact response carries its
     * Last-Modified, and a hot artifact asks for the same second thousands of times a second; formatting it each time
     * was several percent of a cache hit's allocations. A miss only costs the formatting it would have cost anyway.
     */
    private static final Formatted[] RECENT = new Formatted[256];

    /** IMF-fixdate of {@code t}, truncated to the second. */
    public static String format(Instant t) {
        if (t.isBefore(FIRST) || t.isAfter(LAST)) {
            throw new IllegalArgumentException("an HTTP-date has a four-digit year; cannot format " + t);
        }
        long second = t.getEpochSecond();
        int slot = (int) Math.floorMod(second, (long) RECENT.length);
        Formatted recent = RECENT[slot];
        if (recent != null && recent.epochSecond() == second) {
            return recent.text();
        }
        String text = IMF_FIXDATE.format(t);
        RECENT[slot] = new Formatted(second, text);
        return text;
    }

    /** The instant an HTTP-date names, or empty if {@code s} is not one. */
    public static Optional<Instant> parse(String s) {
        return parse(s, Year.now(ZoneOffset.UTC).getValue());
    }

    /** {@code currentYear} resolves RFC 850's two-digit years. */
    static Optional<Instant> parse(String s, int currentYear) {
        if (s == null) {
            return Optional.empty();
        }
        String v = Tokens.trimOws(s);
        Matcher m = IMF.matcher(v);
        if (m.matches()) {
            return build(m.group(1), num(m, 4), m.group(3), num(m, 2), num(m, 5), num(m, 6), num(m, 7));
        }
        m = RFC850.matcher(v);
        if (m.matches()) {
            return build(m.group(1).substring(0, 3), fullYear(num(m, 4), currentYear), m.group(3), num(m, 2),
                    num(m, 5), num(m, 6), num(m, 7));
        }
        m = ASCTIME.matcher(v);
        if (m.matches()) {
            return build(m.group(1), num(m, 7), m.group(2), Integer.parseInt(m.group(3).trim()),
                    num(m, 4), num(m, 5), num(m, 6));
        }
        return Optional.empty();
    }

    /** §5.6.7: a two-digit year more than 50 years in the future means the most recent past year with those digits. */
    static int fullYear(int twoDigits, int currentYear) {
        int year = currentYear - Math.floorMod(currentYear, 100) + twoDigits;
        return year > currentYear + 50 ? year - 100 : year;
    }

    private static Optional<Instant> build(String dayName, int year, String month, int day, int hour, int minute,
            int second) {
        try {
            // A leap second (":60") names the same POSIX instant as ":59", as java.time reads it.
            LocalDateTime t = LocalDateTime.of(year, MONTHS.indexOf(month) + 1, day, hour, minute,
                    second == 60 ? 59 : second);
            DayOfWeek actual = t.getDayOfWeek();
            if (!actual.getDisplayName(TextStyle.SHORT, Locale.US).equals(dayName)) {
                return Optional.empty();
            }
            return Optional.of(t.toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static int num(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }
}
