package dev.signet.server.metrics;

import dev.signet.events.SignetListener;
import dev.signet.sig.VerificationFailure;

/** Fans one event out to two listeners (metrics, plus whatever the embedder passed). */
public final class SignetListeners {

    private SignetListeners() {
    }

    public static SignetListener both(SignetListener first, SignetListener second) {
        if (second == SignetListener.NONE) {
            return first;
        }
        return new SignetListener() {
            @Override
            public void cacheHit(long bytes) {
                first.cacheHit(bytes);
                second.cacheHit(bytes);
            }

            @Override
            public void cacheMiss() {
                first.cacheMiss();
                second.cacheMiss();
            }

            @Override
            public void fillCoalesced() {
                first.fillCoalesced();
                second.fillCoalesced();
            }

            @Override
            public void fillCommitted(String source, long bytes) {
                first.fillCommitted(source, bytes);
                second.fillCommitted(source, bytes);
            }

            @Override
            public void fillFinished(String outcome, long bytes, long nanos) {
                first.fillFinished(outcome, bytes, nanos);
                second.fillFinished(outcome, bytes, nanos);
            }

            @Override
            public void fillWaitRedirected() {
                first.fillWaitRedirected();
                second.fillWaitRedirected();
            }

            @Override
            public void verificationFailed(VerificationFailure failure) {
                first.verificationFailed(failure);
                second.verificationFailed(failure);
            }

            @Override
            public void cacheWriteFailed() {
                first.cacheWriteFailed();
                second.cacheWriteFailed();
            }

            @Override
            public void reverified(boolean ok) {
                first.reverified(ok);
                second.reverified(ok);
            }

            @Override
            public void pageRefused(dev.signet.pages.PageRefusal reason) {
                first.pageRefused(reason);
                second.pageRefused(reason);
            }

            @Override
            public void refused(String project, String file, String check, String reason) {
                first.refused(project, file, check, reason);
                second.refused(project, file, check, reason);
            }

            @Override
            public void originSigned(long bytes) {
                first.originSigned(bytes);
                second.originSigned(bytes);
            }

            @Override
            public void originRefused(String reason) {
                first.originRefused(reason);
                second.originRefused(reason);
            }

            @Override
            public void policyBlocked(String reason) {
                first.policyBlocked(reason);
                second.policyBlocked(reason);
            }

            @Override
            public void cacheReadFailed(String reason) {
                first.cacheReadFailed(reason);
                second.cacheReadFailed(reason);
            }

            @Override
            public void upstreamFailed(String kind) {
                first.upstreamFailed(kind);
                second.upstreamFailed(kind);
            }

            @Override
            public void upstreamExchange(String upstream, String outcome, long nanos) {
                first.upstreamExchange(upstream, outcome, nanos);
                second.upstreamExchange(upstream, outcome, nanos);
            }

            @Override
            public void sharedStoreRead(String outcome, long bytes, long nanos) {
                first.sharedStoreRead(outcome, bytes, nanos);
                second.sharedStoreRead(outcome, bytes, nanos);
            }

            @Override
            public void sharedStoreRefused(VerificationFailure failure) {
                first.sharedStoreRefused(failure);
                second.sharedStoreRefused(failure);
            }

            @Override
            public void sharedStoreWrite(String outcome, long bytes, long nanos) {
                first.sharedStoreWrite(outcome, bytes, nanos);
                second.sharedStoreWrite(outcome, bytes, nanos);
            }

            @Override
            public void sharedStoreError(String operation) {
                first.sharedStoreError(operation);
                second.sharedStoreError(operation);
            }

        };
    }
}
