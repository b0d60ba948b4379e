package dev.signet.server.http;

import dev.signet.server.concurrent.Futures;
import dev.signet.sig.VerificationException;
import dev.signet.server.artifact.ArtifactGoneException;
import dev.signet.server.artifact.CacheWriteException;
import dev.signet.server.artifact.ArtifactNotListedException;
import dev.signet.pages.PageRefusedException;
import dev.signet.server.index.PageExpiredException;
import dev.signet.server.index.PageMemoryExhaustedException;
import dev.signet.server.artifact.CacheReadException;
import dev.signet.server.artifact.NotCachedOfflineException;
import dev.signet.server.index.ProjectNotFoundException;
import dev.signet.server.metrics.OutOfMemory;
import dev.signet.server.policy.PolicyRefusedException;
import dev.signet.server.upstream.UpstreamException;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The one mapping from a failure to what the client sees. Refusals, of artifacts and of signed pages, are {@code 403}
 * (installers treat it as fatal and do not retry), a signed page past its expiry with the upstream down is
 * {@code 503}, absence is {@code 404}, upstream trouble is {@code 502}/{@code 504}, an artifact purged under its
 * fill every time, a cached file that cannot be read or a fill the cache could not store is {@code 503}, an uncached
 * artifact in offline mode {@code 504}; each with a one-line reason.
 */
record Failures(HttpResponseStatus status, String message, String verifyOutcome) {

    static Failures of(Throwable error) {
        Throwable cause = Futures.unwrap(error);
        if (cause instanceof VerificationException refused) {
            return new Failures(refusal(refused.failure().description()), refused.getMessage(), refused.failure().tag());
        }
        if (cause instanceof PolicyRefusedException refused) {
            return new Failures(HttpResponseStatus.FORBIDDEN, refused.getMessage(), refused.outcomeTag());
        }
        if (cause instanceof PageRefusedException refused) {
            return new Failures(refusal("page " + refused.reason().tag().replace('_', ' ')), refused.getMessage(),
                    "page_" + refused.reason().tag());
        }
        if (cause instanceof PageExpiredException expired) {
            return new Failures(HttpResponseStatus.SERVICE_UNAVAILABLE, expired.getMessage(), "page_expired");
        }
        if (cause instanceof ProjectNotFoundException || cause instanceof ArtifactNotListedException) {
            return new Failures(HttpResponseStatus.NOT_FOUND, cause.getMessage(), "-");
        }
        if (cause instanceof CacheWriteException full) {
            return new Failures(HttpResponseStatus.SERVICE_UNAVAILABLE, full.getMessage(), "-");
        }
        if (cause instanceof ArtifactGoneException gone) {
            return new Failures(HttpResponseStatus.SERVICE_UNAVAILABLE, gone.getMessage(), "-");
        }
        if (cause instanceof CacheReadException unreadable) {
            return new Failures(HttpResponseStatus.SERVICE_UNAVAILABLE, unreadable.getMessage(), "-");
        }
        if (cause instanceof NotCachedOfflineException offline) {
            // RFC 9111 only-if-cached: a cache that may not go upstream and holds nothing answers 504.
            return new Failures(HttpResponseStatus.GATEWAY_TIMEOUT, offline.getMessage(), "-");
        }
        if (cause instanceof UpstreamException upstream) {
            if (upstream.isNotFound()) {
                return new Failures(HttpResponseStatus.NOT_FOUND, upstream.getMessage(), "-");
            }
            return new Failures(HttpResponseStatus.valueOf(upstream.clientStatus()), upstream.getMessage(), "-");
        }
        if (cause instanceof PageMemoryExhaustedException busy) {
            return new Failures(HttpResponseStatus.SERVICE_UNAVAILABLE, busy.getMessage(), "-");
        }
        if (OutOfMemory.report(cause, "a request")) {
            // Logged and counted; for the client it is a passing overload, which installers retry.
            return new Failures(HttpResponseStatus.SERVICE_UNAVAILABLE, "busy: out of memory; try again", "-");
        }
        return new Failures(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                "internal error: " + cause.getClass().getSimpleName(), "-");
    }

    /**
     * {@code 403} with a reason phrase naming the failed check ({@code 403 Signet refused: missing signature}). The
     * body says the same at length, but installers do not show bodies: pip prints only Requests' "403 Client Error:
     * REASON for url", so the phrase is how the person at the installer learns why. Short words from a closed set,
     * all printable ASCII, as a reason phrase must be.
     */
    static HttpResponseStatus refusal(String check) {
        return new HttpResponseStatus(403, "Signet refused: " + check);
    }

    boolean unexpected() {
        return status.code() == 500;
    }
}
