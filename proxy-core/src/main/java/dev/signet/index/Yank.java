package dev.signet.index;

import java.util.Objects;

/**
 * A file was yanked (PEP 592). The reason is {@code ""} when the index gave none.
 */
public record Yank(String reason) {
    public Yank {
        Objects.requireNonNull(reason, "reason (use \"\" when none was given)");
    }

    /** Whether the index said why the file was yanked. */
    boolean hasReason() {
        return !reason.isEmpty();
    }
}
