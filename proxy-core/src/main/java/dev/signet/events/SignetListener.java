package dev.signet.events;

import dev.signet.pages.PageRefusal;
import dev.signet.sig.VerificationFailure;

/**
 * Everything Signet reports about its work, in one place, so metrics and logs stay out of the core (OkHttp's
 * EventListener idea). Every method has a no-op default; implementations must be fast and thread-safe because they
 * are called from event loops and workers alike. Arguments are bounded values (no project names, no paths) so an
 * adapter can use them as metric tags.
 */
public interface SignetListener {

    SignetListener NONE = new SignetListener() {};

    /** An artifact was served from the cache without contacting upstream. */
    default void cacheHit(long bytes) {}

    /** An artifact was not in the cache; a fill was started or joined. */
    default void cacheMiss() {}

    /** A request joined a fill already in progress instead of starting its own. */
    default void fillCoalesced() {}

    /**
     * A fill verified and committed {@code bytes} bytes fetched from {@code source}: {@code upstream}, or {@code store}
     * (the fleet's shared store).
     */
    default void fillCommitted(String source, long bytes) {}

    /**
     * A fill ended after {@code nanos}, having received {@code bytes} bytes of the body. {@code outcome} is
     * {@code committed}, {@code refused} (a check failed) or {@code failed} (anything else: upstream trouble, I/O, a
     * file the page does not list).
     */
    default void fillFinished(String outcome, long bytes, long nanos) {}

    /** A request still waiting for a verdict was answered with a redirect to the same artifact (see FillRedirectPolicy). */
    default void fillWaitRedirected() {}

    /** An artifact was refused; nothing was served or cached. */
    default void verificationFailed(VerificationFailure failure) {}

    /** A fill could not write or commit its file (disk full, I/O error); nothing was served or cached. */
    default void cacheWriteFailed() {}

    /** A cached artifact was re-verified from disk (after a restart, an identity change, or in paranoid mode). */
    default void reverified(boolean ok) {}

    /**
     * A cached file could not be read (before any byte of it was sent); the request was answered with an error.
     * {@code reason} is {@code permission} or {@code io}.
     */
    default void cacheReadFailed(String reason) {}

    /** An upstream exchange failed; {@code kind} is a small fixed vocabulary (timeout, connect, status, ...). */
    default void upstreamFailed(String kind) {}

    /**
     * One upstream exchange ended after {@code nanos}. {@code upstream} is a bounded label of the upstream host chosen
     * by the caller; {@code outcome} is a status class ({@code 2xx}..{@code 5xx}) or a failure kind.
     */
    default void upstreamExchange(String upstream, String outcome, long nanos) {}

    /** A project page failed a signed-page check (docs/signed-index.md); nothing was served from it or cached. */
    default void pageRefused(PageRefusal reason) {}

    /**
     * The refusal just reported by {@link #verificationFailed} or {@link #pageRefused}, told with what an operator
     * needs to act on it: the project, the file ({@code null} for a page), the failed check's tag and the one-line
     * reason the client got. The exception to the rule above: these are not bounded values (an upstream chooses file
     * names), so never use them as metric tags; the status page keeps the last few.
     */
    default void refused(String project, String file, String check, String reason) {}

    /** A signing origin published and signed a file of {@code bytes} (once per file, ever). */
    default void originSigned(long bytes) {}

    /**
     * A signing origin refused to sign a file; {@code reason} is one of {@code unlisted} (the upstream page gives no
     * sha256 for it, or it is not a file the origin lists), {@code sha256_mismatch}, {@code file_host} (a URL or redirect elsewhere),
     * or a PEP 740 provenance check: {@code provenance_missing} (where required) or a
     * {@link dev.signet.provenance.ProvenanceFailure#tag()}.
     */
    default void originRefused(String reason) {}

    /**
     * The supply-chain policy refused a direct request for a file (nothing was fetched, served or cached).
     * {@code reason} is a {@code dev.signet.policy.Decision.Reason} tag: {@code too_new}, {@code unknown_age},
     * {@code blocked_rule} or {@code advisory}.
     */
    default void policyBlocked(String reason) {}

    /**
     * One read from the shared store (docs/fleet.md) ended after {@code nanos}. {@code outcome} is {@code hit} (verified
     * and committed, {@code bytes} long), {@code miss} (no object), {@code refused} (the object failed a check and was
     * deleted), {@code error} (the store failed or timed out) or {@code skipped} (the store is backing off or busy).
     */
    default void sharedStoreRead(String outcome, long bytes, long nanos) {}

    /** An object in the shared store failed a check; it was deleted and the artifact fetched from the upstream. */
    default void sharedStoreRefused(VerificationFailure failure) {}

    /**
     * One upload to the shared store ended after {@code nanos}. {@code outcome} is {@code uploaded}, {@code exists}
     * (another edge wrote it first), {@code error} or {@code skipped} (backing off, busy, or not uploadable).
     */
    default void sharedStoreWrite(String outcome, long bytes, long nanos) {}

    /** A shared store call failed; {@code operation} is {@code get}, {@code put} or {@code delete}. */
    default void sharedStoreError(String operation) {}
}
