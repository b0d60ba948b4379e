package dev.signet.server.artifact;

import dev.signet.fill.VerifyingFill;
import dev.signet.server.concurrent.Futures;
import dev.signet.sig.VerificationException;
import dev.signet.store.StoredArtifact;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * A body read by a blocking caller (the shared store's reader) goes into the fill's {@link VerifyingFill} through the
 * same {@link FillPipeline} as an upstream body: the same lanes, the same bounded window, the same early write-back.
 * The caller's thread blocks while the window is full, instead of an event loop's read waiting.
 *
 * <p>Each block is copied into a pooled direct buffer, released when both lanes are done with it: the reader reuses one
 * array instead of leaving a block of garbage per read in a small heap (about 1 GB per GiB filled, with GC pauses
 * of seconds in 64 MiB), and the lanes hash and write direct memory, which a file channel would otherwise copy.
 */
final class PipelinedIntake implements SharedTier.Intake {

    private final VerifyingFill fill;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private final FillPipeline pipeline;
    private boolean ended;

    PipelinedIntake(VerifyingFill fill, Executor workers) {
        this.fill = fill;
        this.pipeline = new FillPipeline(fill, alloc, workers);
    }

    @Override
    public void accept(ByteBuffer block) throws IOException, VerificationException {
        ByteBuf buf = alloc.directBuffer(block.remaining());
        try {
            buf.writeBytes(block);
            await(pipeline.onContent(buf).toCompletableFuture());
        } finally {
            // The pipeline retained what it keeps.
            buf.release();
        }
    }

    @Override
    public StoredArtifact complete(long declaredLength) throws IOException, VerificationException {
        ended = true;
        await(pipeline.finish());
        return fill.complete(declaredLength);
    }

    /** Aborts an unfinished body once no lane touches the fill any more, then deletes the temp file. */
    @Override
    public void close() {
        if (!ended) {
            ended = true;
            pipeline.abort(new CancellationException("the body was not read to its end"))
                    .handle((drained, error) -> null).join();
        }
        fill.close();
    }

    private static void await(CompletableFuture<Void> step) throws IOException, VerificationException {
        try {
            step.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = Futures.unwrap(e);
            if (cause instanceof VerificationException v) {
                throw v;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e;
        }
    }
}
