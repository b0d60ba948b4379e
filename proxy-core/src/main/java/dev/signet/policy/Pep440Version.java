package dev.signet.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 440 version, parsed and ordered as the reference implementation ({@code packaging.version}) does: epoch,
 * release (trailing zeros do not count: {@code 1.0 == 1}), pre-release ({@code a}, {@code b}, {@code rc} and their
 * spellings), post-release, dev-release and local label, with PEP 440's normalisation ({@code 1.0-Alpha.1} is
 * {@code 1.0a1}). No JVM library for PEP 440 was found on Maven Central, so this is the grammar of PEP 440's appendix,
 * tested against its examples.
 *
 * <p>Numbers are limited to 18 digits (a {@code long}); a longer one makes the text not a version here, which the
 * policy treats as "matches no version rule" (a file whose version cannot be read is still judged by name and
 * project rules).
 */
public final class Pep440Version implements Comparable<Pep440Version> {

    private static final Pattern VERSION = Pattern.compile(
            "v?(?:(?<epoch>[0-9]{1,18})!)?(?<release>[0-9]{1,18}(?:\\.[0-9]{1,18})*)"
                    + "(?<pre>[-_.]?(?<prel>alpha|beta|preview|pre|rc|a|b|c)[-_.]?(?<pren>[0-9]{1,18})?)?"
                    + "(?<post>-(?<postn1>[0-9]{1,18})|[-_.]?(?<postl>post|rev|r)[-_.]?(?<postn2>[0-9]{1,18})?)?"
                    + "(?<dev>[-_.]?dev[-_.]?(?<devn>[0-9]{1,18})?)?"
                    + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?",
            Pattern.CASE_INSENSITIVE);

    private final long epoch;
    private final long[] release;
    /** {@code a}, {@code b} or {@code rc}; null when not a pre-release. */
    private final String preLabel;
    private final long preNumber;
    /** -1 when not a post-release. */
    private final long post;
    /** -1 when not a dev-release. */
    private final long dev;
    /** Normalised local label segments (lowercase, separated by dots), or null. */
    private final String local;

    private Pep440Version(long epoch, long[] release, String preLabel, long preNumber, long post, long dev, String local) {
        this.epoch = epoch;
        this.release = release;
        this.preLabel = preLabel;
        this.preNumber = preNumber;
        this.post = post;
        this.dev = dev;
        this.local = local;
    }

    /** Parses {@code text} (surrounding whitespace allowed); empty when it is not a PEP 440 version. */
    public static Optional<Pep440Version> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = VERSION.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long epoch = m.group("epoch") == null ? 0 : Long.parseLong(m.group("epoch"));
        long[] release = Arrays.stream(m.group("release").split("\\.")).mapToLong(Long::parseLong).toArray();
        String preLabel = null;
        long preNumber = 0;
        if (m.group("pre") != null) {
            preLabel = switch (m.group("prel").toLowerCase(Locale.ROOT)) {
                case "a", "alpha" -> "a";
                case "b", "beta" -> "b";
                default -> "rc";
            };
            preNumber = m.group("pren") == null ? 0 : Long.parseLong(m.group("pren"));
        }
        long post = -1;
        if (m.group("post") != null) {
            String n = m.group("postn1") != null ? m.group("postn1") : m.group("postn2");
            post = n == null ? 0 : Long.parseLong(n);
        }
        long dev = -1;
        if (m.group("dev") != null) {
            dev = m.group("devn") == null ? 0 : Long.parseLong(m.group("devn"));
        }
        String local = m.group("local") == null ? null
                : m.group("local").toLowerCase(Locale.ROOT).replace('-', '.').replace('_', '.');
        return Optional.of(new Pep440Version(epoch, release, preLabel, preNumber, post, dev, local));
    }

    /** As {@link #parse}, failing with a message naming the text. */
    public static Pep440Version of(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a PEP 440 version: \"" + text + "\""));
    }

    public long epoch() {
        return epoch;
    }

    /** The release segments as written (trailing zeros kept). */
    public long[] release() {
        return release.clone();
    }

    public boolean isPreRelease() {
        return preLabel != null || dev >= 0;
    }

    public boolean isPostRelease() {
        return post >= 0;
    }

    public boolean hasLocal() {
        return local != null;
    }

    /** The version without its local label. */
    public Pep440Version publicVersion() {
        return local == null ? this : new Pep440Version(epoch, release, preLabel, preNumber, post, dev, null);
    }

    /** Epoch and release only ({@code 1!2.0rc1.post3} gives {@code 1!2.0}). */
    public Pep440Version baseVersion() {
        return new Pep440Version(epoch, release, null, 0, -1, -1, null);
    }

    @Override
    public int compareTo(Pep440Version o) {
        int c = Long.compare(epoch, o.epoch);
        if (c != 0) {
            return c;
        }
        c = compareRelease(release, o.release);
        if (c != 0) {
            return c;
        }
        c = Long.compare(preKey(), o.preKey());
        if (c != 0) {
            return c;
        }
        if (preLabel != null && o.preLabel != null) {
            c = Long.compare(preNumber, o.preNumber);
            if (c != 0) {
                return c;
            }
        }
        // No post-release sorts before any post-release; no dev-release after any dev-release.
        c = Long.compare(post, o.post);
        if (c != 0) {
            return c;
        }
        c = Long.compare(dev < 0 ? Long.MAX_VALUE : dev, o.dev < 0 ? Long.MAX_VALUE : o.dev);
        if (c != 0) {
            return c;
        }
        return compareLocal(local, o.local);
    }

    /**
     * Where the pre-release part sorts: a dev-release of a final release ({@code 1.0.dev1}) before every pre-release,
     * then {@code a}, {@code b}, {@code rc}, then no pre-release at all.
     */
    private long preKey() {
        if (preLabel == null) {
            return post < 0 && dev >= 0 ? -1 : 3;
        }
        return switch (preLabel) {
            case "a" -> 0;
            case "b" -> 1;
            default -> 2;
        };
    }

    static int compareRelease(long[] a, long[] b) {
        int n = Math.max(a.length, b.length);
        for (int i = 0; i < n; i++) {
            long x = i < a.length ? a[i] : 0;
            long y = i < b.length ? b[i] : 0;
            if (x != y) {
                return Long.compare(x, y);
            }
        }
        return 0;
    }

    /** No local label sorts first; numeric segments sort after alphanumeric ones, numerically; then by length. */
    private static int compareLocal(String a, String b) {
        if (Objects.equals(a, b)) {
            return 0;
        }
        if (a == null) {
            return -1;
        }
        if (b == null) {
            return 1;
        }
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            boolean xn = x[i].chars().allMatch(Character::isDigit);
            boolean yn = y[i].chars().allMatch(Character::isDigit);
            int c;
            if (xn && yn) {
                c = new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i]));
            } else if (xn != yn) {
                c = xn ? 1 : -1;
            } else {
                c = x[i].compareTo(y[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pep440Version v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        int end = release.length;
        while (end > 1 && release[end - 1] == 0) {
            end--;
        }
        return Objects.hash(epoch, Arrays.hashCode(Arrays.copyOf(release, end)), preLabel, preNumber, post, dev, local);
    }

    /** The normalised form ({@code 1.0-Alpha.1} prints {@code 1.0a1}). */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (epoch != 0) {
            s.append(epoch).append('!');
        }
        List<String> parts = new ArrayList<>();
        for (long r : release) {
            parts.add(Long.toString(r));
        }
        s.append(String.join(".", parts));
        if (preLabel != null) {
            s.append(preLabel).append(preNumber);
        }
        if (post >= 0) {
            s.append(".post").append(post);
        }
        if (dev >= 0) {
            s.append(".dev").append(dev);
        }
        if (local != null) {
            s.append('+').append(local);
        }
        return s.toString();
    }
}
