package dev.signet.pages;

import java.time.Duration;
import java.util.Objects;

/**
 * The signed-page decisions as pure functions of the signed fields, what the edge remembers and the clock (given as
 * a number), like {@code FreshnessPolicy}: apt's {@code Valid-Until} with a clock-skew allowance, TUF's rule that a
 * version number never goes back, and devpi's serial check. Times are only ever taken from signed data (invariant 9).
 *
 * @param clockSkew        how far this edge's clock may be behind the signer's: a page is usable until
 *                         {@code expires + clockSkew}
 * @param stalePastExpiry  the operator's explicit override: how long past that a page may still be served stale
 *                         while the upstream is down ({@code page-stale-past-expiry}, default zero)
 */
public record PagePolicy(Duration clockSkew, Duration stalePastExpiry) {

    public static final PagePolicy DEFAULT = new PagePolicy(Duration.ofMinutes(5), Duration.ZERO);

    public PagePolicy {
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(stalePastExpiry, "stalePastExpiry");
        if (clockSkew.isNegative() || stalePastExpiry.isNegative()) {
            throw new IllegalArgumentException("clock skew and stale-past-expiry must not be negative");
        }
    }

    /**
     * The checks that need only the signed comment (section 4, steps 4 to 6), made before the page is downloaded.
     *
     * @param known what this edge accepted before for the project, or {@code null}
     */
    public void checkComment(PageComment comment, String project, long nowMillis, PageHistory known)
            throws PageRefusedException {
        if (!comment.project().equals(project)) {
            throw new PageRefusedException(PageRefusal.WRONG_PROJECT, project,
                    "the signed page is for project " + comment.project());
        }
        if (!usable(comment.expiresEpochSeconds(), nowMillis)) {
            throw new PageRefusedException(PageRefusal.EXPIRED, project,
                    "the signed page expired at " + java.time.Instant.ofEpochSecond(comment.expiresEpochSeconds()));
        }
        if (known != null && comment.serial() < known.highestSerial()) {
            throw new PageRefusedException(PageRefusal.ROLLBACK, project,
                    "serial " + comment.serial() + " is below " + known.highestSerial() + ", the highest accepted");
        }
    }

    /** Section 4, step 8: the serial accepted before must come with the bytes accepted before. */
    public void checkContent(PageComment comment, String project, String sha256Hex, PageHistory known)
            throws PageRefusedException {
        if (known != null && comment.serial() == known.highestSerial() && !known.sha256Hex().equals(sha256Hex)) {
            throw new PageRefusedException(PageRefusal.EQUIVOCATION, project,
                    "serial " + comment.serial() + " was accepted before with other content (sha256 "
                            + known.sha256Hex() + ", now " + sha256Hex + ")");
        }
    }

    /** What to remember after accepting a page: never lowers the serial. */
    public PageHistory accepted(PageComment comment, String sha256Hex, PageHistory known) {
        if (known != null && known.highestSerial() > comment.serial()) {
            return known;
        }
        return new PageHistory(comment.serial(), sha256Hex);
    }

    /** Whether a page with this signed expiry may be used now (checked on every serve, not only when fetched). */
    public boolean usable(long expiresEpochSeconds, long nowMillis) {
        return nowMillis < limitMillis(expiresEpochSeconds, clockSkew);
    }

    /** Whether it may still be served stale, with the upstream down: only within the operator's override. */
    public boolean usableStale(long expiresEpochSeconds, long nowMillis) {
        return nowMillis < limitMillis(expiresEpochSeconds, clockSkew.plus(stalePastExpiry));
    }

    /**
     * An unsigned page under {@code mode}: {@code null} means use it (and warn), otherwise the refusal. Under
     * {@code prefer} a project once seen signed stays signed, so stripping signatures cannot downgrade it.
     */
    public static PageRefusedException unsigned(SignedPagesMode mode, String project, PageHistory known) {
        return switch (mode) {
            case OFF -> null;
            case PREFER -> known == null ? null : new PageRefusedException(PageRefusal.UNSIGNED, project,
                    "no page signature, but a signed page (serial " + known.highestSerial() + ") was accepted before");
            case REQUIRE -> new PageRefusedException(PageRefusal.UNSIGNED, project,
                    "no page signature, and this upstream requires signed pages");
        };
    }

    private static long limitMillis(long epochSeconds, Duration allowance) {
        long seconds = epochSeconds > Long.MAX_VALUE / 1000 - allowance.toSeconds() ? Long.MAX_VALUE / 1000 - 1
                : epochSeconds + allowance.toSeconds();
        return seconds * 1000;
    }
}
