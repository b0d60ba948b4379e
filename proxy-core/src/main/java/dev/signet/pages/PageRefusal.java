package dev.signet.pages;

import java.util.Locale;

/**
 * Why a signed project page was refused (docs/signed-index.md, section 4). A closed set so it can be a bounded
 * metrics tag ({@code signet.page.refusals{reason}}).
 */
public enum PageRefusal {
    /** No page signature where one is required (mode require, or a project seen signed before under prefer). */
    UNSIGNED,
    /** The signature file, its key or its trusted comment is not acceptable (parse error, unknown or revoked key). */
    BAD_SIGNATURE,
    /** The trusted comment is not a version-1 page comment, or the page is not a valid PEP 691 page for it. */
    MALFORMED,
    /** The signed project is not the project asked for: a swapped page. */
    WRONG_PROJECT,
    /** Past the signed expiry (plus the allowed clock skew): a frozen page. */
    EXPIRED,
    /** A serial below the highest this edge accepted for the project: a replayed page. */
    ROLLBACK,
    /** The serial this edge accepted before, with other bytes: the index signed two different pages. */
    EQUIVOCATION;

    /** lower_snake_case name, e.g. {@code wrong_project}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
