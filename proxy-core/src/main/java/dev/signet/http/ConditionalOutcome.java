package dev.signet.http;

/** Result of evaluating a request's preconditions. */
public enum ConditionalOutcome {
    /** Preconditions hold (or none were given): handle the request normally. */
    PROCEED,
    /** Answer 304 Not Modified (GET/HEAD only). */
    NOT_MODIFIED,
    /** Answer 412 Precondition Failed. */
    PRECONDITION_FAILED
}
