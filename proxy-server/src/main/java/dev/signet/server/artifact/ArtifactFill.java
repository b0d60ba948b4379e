package dev.signet.server.artifact;

import dev.signet.server.concurrent.Futures;
import dev.signet.fill.ExpectedArtifact;
import dev.signet.fill.VerifyingFill;
import dev.signet.server.index.MergedPage;
import dev.signet.sig.ArtifactVerification;
import dev.signet.sig.VerificationException;
import dev.signet.sig.VerificationFailure;
import dev.signet.server.upstream.UpstreamClient;
import dev.signet.server.upstream.UpstreamException;
import dev.signet.server.upstream.UpstreamResponse;
import dev.signet.server.upstream.StreamedResponse;
import dev.signet.store.ArtifactKey;
import dev.signet.store.ArtifactRecord;
import dev.signet.store.PendingFill;
import dev.signet.store.StoredArtifact;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;

/**
 * The fill path for one artifact: find it on its project page, fetch and check its signature (refusing before the
 * body is downloaded when the signature is missing, malformed or from an untrusted key), then stream the body through
 * a {@link FillPipeline} into a {@link VerifyingFill} and a temp file, and commit only if every check passes. One instance per fill; concurrent
 * requests for the same artifact share it through {@link ArtifactService}.
 */
final class ArtifactFill {

    /** Signatures are a few hundred bytes; the parser refuses anything over 16 KiB with a clear reason. */
    private static final int MAX_SIGNATURE_FETCH = 64 * 1024;

    private final ArtifactKey key;
    private final EventLoop loop;
    private final ArtifactService.Dependencies deps;
    /** The page statement this fill verifies against (set once the page is read): the committed entry's vouch. */
    private volatile Listing listing;
    /** Told when the body starts, so operators can watch the bytes arrive (GET /fills, the progress log). */
    private final FillProgress progress;
    /**
     * Completed with the verified temp file once a body passes every check, before its commit (see
     * {@link EarlyAnswer}); null when the waiters must be served from the store only (paranoid mode).
     */
    private final CompletableFuture<EarlyAnswer> verified;

    ArtifactFill(ArtifactKey key, EventLoop loop, ArtifactService.Dependencies deps, FillProgress progress,
                 CompletableFuture<EarlyAnswer> verified) {
        this.key = key;
        this.loop = loop;
        this.deps = deps;
        this.progress = progress;
        this.verified = verified;
    }

    /** What the page said about the file when this fill resolved it; null before that. */
    Listing listing() {
        return listing;
    }

    /**
     * The shared tier first (it completes with {@code null} when it has nothing verified to give), then the upstream;
     * a file verified from the upstream is offered to the tier once committed.
     */
    CompletableFuture<StoredArtifact> run() {
        return deps.index().merged(key.project())
                .thenApply(this::source)
                .thenCompose(source -> deps.shared().fill(key,
                                signature -> new PipelinedIntake(open(source, signature), deps.workers()))
                        .thenCompose(fromTier -> fromTier != null ? CompletableFuture.completedFuture(fromTier)
                                : fromUpstream(source)));
    }

    private CompletableFuture<StoredArtifact> fromUpstream(FillSource source) {
        return fetchSignature(source)
                .thenApplyAsync(signature -> begin(source, signature), deps.workers())
                .thenCompose(fill -> download(source, fill))
                .thenApply(entry -> {
                    deps.shared().offer(entry);
                    return entry;
                });
    }

    private FillSource source(MergedPage page) {
        try {
            FillSource source = FillSource.resolve(page, key);
            listing = Listing.of(page, source);
            return source;
        } catch (ArtifactNotListedException e) {
            throw Futures.wrap(e);
        }
    }

    private CompletableFuture<byte[]> fetchSignature(FillSource source) {
        URI url = deps.signatures().signatureOf(source.url(), key.filename());
        return deps.client().fetch(url, source.origin().credentials().headersFor(url), MAX_SIGNATURE_FETCH, loop)
                .handle((response, error) -> signatureBytes(url, response, error));
    }

    /** {@code null} means "no signature published", which the keyring refuses as a missing signature. */
    private byte[] signatureBytes(URI url, UpstreamResponse response, Throwable error) {
        if (error != null) {
            Throwable cause = Futures.unwrap(error);
            if (cause instanceof UpstreamException ue && ue.kind() == UpstreamException.Kind.TOO_LARGE) {
                throw Futures.wrap(new VerificationException(VerificationFailure.MALFORMED_SIGNATURE, key.filename(),
                        "signature file is larger than 16 KiB"));
            }
            throw Futures.wrap(cause);
        }
        if (response.status() == 404 || response.status() == 410) {
            return null;
        }
        if (response.status() != 200) {
            throw Futures.wrap(UpstreamException.status(response.status(), UpstreamClient.redacted(url)));
        }
        return response.body();
    }

    /** Blocking: parses and checks the signature, then opens the temp file. */
    private VerifyingFill begin(FillSource source, byte[] signature) {
        try {
            return open(source, signature);
        } catch (VerificationException e) {
            throw Futures.wrap(e);
        } catch (IOException e) {
            throw Futures.wrap(new CacheWriteException(key.filename(), e));
        }
    }

    /**
     * Blocking: the one verify path of this artifact, whoever sent the signature (the upstream or the shared tier):
     * checks the signature against the listing upstream's keys, then opens the temp file with the page's expectations.
     */
    private VerifyingFill open(FillSource source, byte[] signature) throws VerificationException, IOException {
        // The keys of the upstream that listed the file: a key trusted for another index does not vouch for it.
        ArtifactVerification verification = source.origin().keyring().begin(key.project(), key.filename(),
                signature, source.size() == null ? -1 : source.size());
        PendingFill pending = deps.store().beginFill(key);
        ExpectedArtifact expected = new ExpectedArtifact(source.sha256(), source.size());
        VerifyingFill fill = new VerifyingFill(pending, verification, expected, signature, deps.clock());
        if (verified != null) {
            fill.whenVerified(this::answerEarly);
        }
        progress.receiving(fill::bytesWritten, source.size());
        return fill;
    }

    /**
     * Every check has passed and the commit is about to start. Only one body can get here first; a later one (the
     * upstream's, after the shared tier's copy passed its checks but failed to commit) keeps its waiters on the first.
     */
    private void answerEarly(ArtifactRecord record, FileChannel channel) {
        EarlyAnswer answer = new EarlyAnswer(key, record, channel);
        if (!verified.complete(answer)) {
            answer.retire();
        }
    }

    /**
     * Streams the body through a {@link FillPipeline} and completes the fill (the checks, then the commit) only once
     * every lane has seen the last byte; on any failure, the temp file is deleted only once no lane touches it.
     */
    private CompletableFuture<StoredArtifact> download(FillSource source, VerifyingFill fill) {
        FillPipeline pipeline = new FillPipeline(fill, ByteBufAllocator.DEFAULT, deps.workers());
        CompletableFuture<StoredArtifact> committed = deps.client()
                .stream(source.url(), source.origin().credentials().headersFor(source.url()), pipeline, loop)
                .handle((response, error) -> error == null
                        ? pipeline.finish().thenApply(drained -> response)
                        : pipeline.abort(Futures.unwrap(error)).<StreamedResponse>handle((drained, ignored) -> {
                            throw Futures.wrap(named(Futures.unwrap(error)));
                        }))
                .thenCompose(body -> body)
                .exceptionally(error -> {
                    throw Futures.wrap(named(Futures.unwrap(error)));
                })
                .thenApplyAsync(response -> {
                    try {
                        return fill.complete(response.declaredLength());
                    } catch (VerificationException e) {
                        throw Futures.wrap(e);
                    } catch (IOException e) {
                        throw Futures.wrap(new CacheWriteException(key.filename(), e));
                    }
                }, deps.workers());
        // On a worker: a failure from the upstream completes on the event loop, and closing deletes the temp file.
        return committed.whenCompleteAsync((entry, error) -> fill.close(), deps.workers());
    }

    /**
     * A body that ends early is refused like any other failed check (403, which installers do not retry), not passed
     * on as an upstream error; a temp file that could not be written (disk full, I/O error) is a cache write failure.
     */
    private Throwable named(Throwable error) {
        if (error instanceof UpstreamException ue) {
            return ue.kind() == UpstreamException.Kind.TRUNCATED
                    ? new VerificationException(VerificationFailure.TRUNCATED, key.filename(), ue.getMessage()) : ue;
        }
        if (error instanceof IOException io && !(io instanceof CacheWriteException)) {
            return new CacheWriteException(key.filename(), io);
        }
        return error;
    }
}
