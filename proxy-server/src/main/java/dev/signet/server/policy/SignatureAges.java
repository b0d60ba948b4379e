package dev.signet.server.policy;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.signet.index.DistributionFile;
import dev.signet.server.artifact.SignatureLocation;
import dev.signet.server.concurrent.Futures;
import dev.signet.server.index.Origin;
import dev.signet.server.upstream.UpstreamClient;
import dev.signet.server.upstream.UpstreamException;
import dev.signet.sig.ArtifactVerification;
import dev.signet.sig.VerificationException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * The signature verdict of each listed file, by upstream, project, file name, URL and sha256 (so a page that lists
 * the file differently is a new question): fetched and checked as {@code Keyring.begin} does (key trusted for the
 * project by the upstream that listed it, not revoked, global signature, {@code file:}), which gives the signed
 * {@code timestamp} that is the file's age; or a lasting refusal, found here or remembered from a fill. Verdicts are
 * kept for the index TTL, so a signature changed upstream is seen within it; a transient failure (upstream
 * unreachable) is not kept. At most {@code maxConcurrent} checks run at once; concurrent asks share one fetch.
 */
final class SignatureAges {

    private static final int MAX_SIGNATURE_FETCH = 64 * 1024;

    private final UpstreamClient client;
    private final SignatureLocation signatures;
    private final Executor workers;
    private final AsyncCache<String, SignatureVerdict> verdicts;
    private final Semaphore running;

    SignatureAges(UpstreamClient client, SignatureLocation signatures, Executor workers, Duration ttl, Ticker ticker,
                  int maxConcurrent) {
        this.client = client;
        this.signatures = signatures;
        this.workers = workers;
        this.verdicts = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(ttl).maximumSize(200_000).buildAsync();
        this.running = new Semaphore(Math.max(1, maxConcurrent));
    }

    static String key(String project, DistributionFile file, Origin origin) {
        return origin.name() + " " + project + " " + file.filename() + " " + file.url() + " " + file.sha256().orElse("-");
    }

    /** The verdict if one is known or being found, else null; never fetches. */
    CompletableFuture<SignatureVerdict> known(String project, DistributionFile file, Origin origin) {
        return verdicts.getIfPresent(key(project, file, origin));
    }

    /**
     * The verdict, checking the signature upstream if it is not known; fails only on transient trouble. A
     * {@code bounded} ask (a page view's pre-check) gets no verdict while {@code maxConcurrent} checks run; a direct
     * request is never turned away for that.
     */
    CompletableFuture<SignatureVerdict> verdict(String project, DistributionFile file, Origin origin, boolean bounded) {
        String key = key(project, file, origin);
        CompletableFuture<SignatureVerdict> known = verdicts.getIfPresent(key);
        if (known != null) {
            return known;
        }
        if (bounded && !running.tryAcquire()) {
            // Busy: no verdict now, and nothing cached; the page treats the file as not checked yet.
            return CompletableFuture.failedFuture(new IllegalStateException("signature checks busy"));
        }
        CompletableFuture<SignatureVerdict> verdict = verdicts.get(key, (k, executor) -> check(project, file, origin));
        if (bounded) {
            verdict.whenComplete((v, e) -> running.release());
        }
        return verdict;
    }

    /**
     * The verdict for a direct request: a remembered refusal is not taken on trust here but checked again (the
     * signature may have been fixed upstream without the page changing); any other known verdict stands.
     */
    CompletableFuture<SignatureVerdict> verdictForRequest(String project, DistributionFile file, Origin origin) {
        CompletableFuture<SignatureVerdict> known = known(project, file, origin);
        if (known != null && known.isDone() && !known.isCompletedExceptionally()
                && known.join() instanceof SignatureVerdict.Refused) {
            verdicts.synchronous().invalidate(key(project, file, origin));
        }
        return verdict(project, file, origin, false);
    }

    /** The file was served (it verified): forget a remembered refusal. Returns whether there was one. */
    boolean forgetRefusal(String project, DistributionFile file, Origin origin) {
        CompletableFuture<SignatureVerdict> known = known(project, file, origin);
        if (known != null && known.isDone() && !known.isCompletedExceptionally()
                && known.join() instanceof SignatureVerdict.Refused) {
            verdicts.synchronous().invalidate(key(project, file, origin));
            return true;
        }
        return false;
    }

    /** A fill refused the file for a lasting reason: the page leaves it off until it lists it otherwise or the TTL ends. */
    void remember(String project, DistributionFile file, Origin origin, VerificationException refused) {
        verdicts.put(key(project, file, origin), CompletableFuture.completedFuture(new SignatureVerdict.Refused(refused)));
    }

    private CompletableFuture<SignatureVerdict> check(String project, DistributionFile file, Origin origin) {
        URI url = signatures.signatureOf(file.url(), file.filename());
        return client.fetch(url, origin.credentials().headersFor(url), MAX_SIGNATURE_FETCH, null)
                .thenApplyAsync(response -> {
                    byte[] body;
                    if (response.status() == 404 || response.status() == 410) {
                        body = null;
                    } else if (response.status() == 200) {
                        body = response.body();
                    } else {
                        throw Futures.wrap(UpstreamException.status(response.status(), UpstreamClient.redacted(url)));
                    }
                    return judge(project, file, origin, body);
                }, workers);
    }

    private static SignatureVerdict judge(String project, DistributionFile file, Origin origin, byte[] signature) {
        try {
            ArtifactVerification checked = origin.keyring().begin(project, file.filename(), signature,
                    file.size() == null ? -1 : file.size());
            OptionalLong timestamp = checked.signedTimestamp();
            return new SignatureVerdict.Signed(timestamp.isPresent() ? Instant.ofEpochSecond(timestamp.getAsLong()) : null);
        } catch (VerificationException e) {
            return new SignatureVerdict.Refused(e);
        }
    }
}
