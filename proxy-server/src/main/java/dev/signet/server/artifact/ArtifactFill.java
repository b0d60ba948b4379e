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
import dev.signet.store.ArtifactKey;
import dev.signet.store.PendingFill;
import dev.signet.store.StoredArtifact;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * The fill path for one artifact: find it on its project page, fetch and check its signature (refusing before the
 * body is downloaded when the signature is missing, malformed or from an untrusted key), then stream the body through
 * a {@link VerifyingFill} into a temp file and commit only if every check passes. One instance per fill; concurrent
 * requests for the same artifact share it through {@link ArtifactService}.
 */
final class ArtifactFill {

    /** Signatures are a few hundred bytes; the parser refuses anything over 16 KiB with a clear reason. */
    private static final int MAX_SIGNATURE_FETCH = 64 * 1024;

    private final ArtifactKey key;
    private final EventLoop loop;
    private final ArtifactService.Dependencies deps;
    /** Told when the body starts, so operators can watch the bytes arrive (GET /fills, the progress log). */
    private final FillProgress progress;

    ArtifactFill(ArtifactKey key, EventLoop loop, ArtifactService.Dependencies deps, FillProgress progress) {
        this.key = key;
        this.loop = loop;
        this.deps = deps;
        this.progress = progress;
    }

    CompletableFuture<StoredArtifact> run() {
        return deps.index().merged(key.project())
                .thenApply(this::source)
                .thenCompose(source -> fetchSignature(source)
                        .thenApplyAsync(signature -> begin(source, signature), deps.workers())
                        .thenCompose(fill -> download(source, fill)));
    }

    private FillSource source(MergedPage page) {
        try {
            return FillSource.resolve(page, key);
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
            // The keys of the upstream that listed the file: a key trusted for another index does not vouch for it.
            ArtifactVerification verification = source.origin().keyring().begin(key.project(), key.filename(),
                    signature, source.size() == null ? -1 : source.size());
            PendingFill pending = deps.store().beginFill(key);
            ExpectedArtifact expected = new ExpectedArtifact(source.sha256(), source.size());
            VerifyingFill fill = new VerifyingFill(pending, verification, expected, signature, deps.clock());
            progress.receiving(fill::bytesWritten, source.size());
            return fill;
        } catch (VerificationException | IOException e) {
            throw Futures.wrap(e);
        }
    }

    private CompletableFuture<StoredArtifact> download(FillSource source, VerifyingFill fill) {
        CompletableFuture<StoredArtifact> committed = deps.client()
                .stream(source.url(), source.origin().credentials().headersFor(source.url()),
                        content -> write(fill, content), loop)
                .exceptionally(error -> {
                    throw Futures.wrap(shortBodyIsARefusal(Futures.unwrap(error)));
                })
                .thenApplyAsync(response -> {
                    try {
                        return fill.complete(response.declaredLength());
                    } catch (VerificationException | IOException e) {
                        throw Futures.wrap(e);
                    }
                }, deps.workers());
        // On a worker: a failure from the upstream completes on the event loop, and closing deletes the temp file.
        return committed.whenCompleteAsync((entry, error) -> fill.close(), deps.workers());
    }

    /**
     * A body that ends early is refused like any other failed check (403, which installers do not retry), not passed
     * on as an upstream error.
     */
    private Throwable shortBodyIsARefusal(Throwable error) {
        if (error instanceof UpstreamException ue && ue.kind() == UpstreamException.Kind.TRUNCATED) {
            return new VerificationException(VerificationFailure.TRUNCATED, key.filename(), ue.getMessage());
        }
        return error;
    }

    /** Runs on a worker: the event loop only hands over the buffer and waits for this stage before reading more. */
    private CompletableFuture<Void> write(VerifyingFill fill, ByteBuf content) {
        return CompletableFuture.runAsync(() -> {
            try {
                for (ByteBuffer buffer : content.nioBuffers()) {
                    fill.accept(buffer);
                }
            } catch (VerificationException | IOException e) {
                throw Futures.wrap(e);
            }
        }, deps.workers());
    }
}
