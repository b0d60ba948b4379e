package dev.signet.server.index;

/**
 * A parsed index page with how old it is and what the page cache did to answer it; {@link PageOutcome#STALE} means
 * the upstream could not be reached to revalidate it and it is served past its TTL (within the configured max stale
 * age).
 */
public record Page<T>(T value, long ageSeconds, PageOutcome outcome) {

    public boolean stale() {
        return outcome == PageOutcome.STALE;
    }

    /** Another value (a rendered form of this page) with this page's age and cache outcome. */
    public <U> Page<U> with(U other) {
        return new Page<>(other, ageSeconds, outcome);
    }
}
