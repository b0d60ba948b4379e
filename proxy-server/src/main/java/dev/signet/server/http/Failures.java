package dev.signet.server.http;

import dev.signet.server.concurrent.Futures;
import dev.signet.sig.VerificationException;
import dev.signet.server.artifact.ArtifactGoneException;
import dev.signet.server.artifact.CacheWriteException;
import dev.signet.server.artifact.ArtifactNotListedException;
import dev.signet.server.index.ProjectNotFoundException;
import dev.signet.server.upstream.UpstreamException;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The one mapping from a failure to what the client sees. Refusals are {@code 403} (installers treat it as fatal and
 * do not retry), absence is {@code 404}, upstream trouble is {@code 502}/{@code 504}, an artifact purged under its
 * fill every time or a fill the cache could not store is {@code 503}; each with a one-line reason.
 */
record Failures(HttpResponseStatus status, String message, String verifyOutcome) {

    static Failures of(Throwable error) {
        Throwable cause = Futures.unwrap(error);
        if (cause instanceof VerificationException refused) {
            return new Failures(HttpResponseStatus.FORBIDDEN, refused.getMessage(), refused.failure().tag());
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
        if (cause instanceof UpstreamException upstream) {
            if (upstream.isNotFound()) {
                return new Failures(HttpResponseStatus.NOT_FOUND, upstream.getMessage(), "-");
            }
            return new Failures(HttpResponseStatus.valueOf(upstream.clientStatus()), upstream.getMessage(), "-");
        }
        return new Failures(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                "internal error: " + cause.getClass().getSimpleName(), "-");
    }

    boolean unexpected() {
        return status.code() == 500;
    }
}
