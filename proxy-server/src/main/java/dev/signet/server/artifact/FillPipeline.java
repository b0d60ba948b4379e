package dev.signet.server.artifact;

import dev.signet.fill.VerifyingFill;
import dev.signet.server.upstream.BodySink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Carries one artifact's body from the upstream connection into its {@link VerifyingFill} with the network, the
 * hashes and the disk all working at once, instead of one after the other for every socket read.
 *
 * <ul>
 *   <li><b>Read-ahead in a bounded window.</b> The event loop keeps the socket's buffers (retained, no copy) and asks
 *   for the next read at once while fewer than {@link #WINDOW_BYTES} are held; past that, the read waits until a
 *   block is done. Memory per fill is bounded by the window whatever the artifact's size.</li>
 *   <li><b>Large blocks.</b> Buffers are gathered into blocks of {@link #BLOCK_BYTES}: one task hand-off and one
 *   gathering write per block, not per 64 KiB read.</li>
 *   <li><b>Two lanes.</b> The signature's BLAKE2b runs on one {@link SerialLane}; the length check, SHA-256 and the
 *   write run on another, so neither hash waits for the other when a second core is free. A block's buffers are
 *   released when both lanes are done with it.</li>
 *   <li><b>Early write-back.</b> Every {@link #SYNC_EVERY_BYTES} written, an fdatasync starts on a worker while writing
 *   goes on, so the disk drains the page cache during the download and the commit's fsync has only the tail left.</li>
 * </ul>
 *
 * <p>The fsync question, decided: clients waiting for the fill are answered from the verified temp file as soon as
 * every check has passed, while the commit (fsync, rename, sidecar, directory fsyncs) runs ({@link EarlyAnswer}). With
 * early write-back the commit's data fsync covers at most the last {@link #SYNC_EVERY_BYTES}, but its fixed fsyncs
 * remain (about 0.1 s of a 16 MB fill's 0.16 s here), and no client needs to wait for them: what it is sent is what
 * was verified. A crash at any point still leaves the old state or the new one: until the rename the bytes are a temp
 * file that the store deletes when it opens; the commit order is {@code CommitProcedure}'s and is unchanged.
 *
 * <p>None of the invariants move: no byte reaches a client before {@link VerifyingFill#complete} (which the caller
 * runs only after {@link #finish()}), nothing is committed unverified, the event loop only retains, counts and hands
 * off buffers. The first failure in any lane stops the others (they skip their remaining blocks, releasing them) and
 * fails the next read, which closes the upstream connection.
 *
 * <p>{@link #onContent} is called on the upstream connection's event loop; {@link #finish} and {@link #abort} once,
 * when the body has ended or failed. Everything else runs on the lanes.
 */
final class FillPipeline implements BodySink {

    /** Large enough that a hand-off and a write system call are a small part of a block's cost. */
    static final int BLOCK_BYTES = 1 << 20;
    /** Bytes held per fill: a block being gathered plus up to three in the lanes. Must exceed {@link #BLOCK_BYTES}. */
    static final int WINDOW_BYTES = 4 * BLOCK_BYTES;
    /** How much is written between two early fdatasyncs. */
    static final long SYNC_EVERY_BYTES = 32L << 20;
    /** Above this many socket buffers a gathering block is consolidated by Netty (only for a trickling upstream). */
    private static final int MAX_COMPONENTS = 256;
    private static final CompletableFuture<Void> GO_ON = CompletableFuture.completedFuture(null);

    private final VerifyingFill fill;
    private final ByteBufAllocator alloc;
    private final Executor workers;
    private final SerialLane signatureLane;
    private final SerialLane fileLane;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    // Guarded by this. The event loop and the lanes touch it briefly; no work and no hand-off is done holding it.
    private CompositeByteBuf gathering;
    private long bytesHeld;
    private int tasksInFlight;
    private CompletableFuture<Void> readGate;
    /** Written under the lock; read without it by the lanes before each step. */
    private volatile Throwable failure;
    private boolean ended;
    private boolean syncing;
    // Touched only by the file lane.
    private long writtenAtLastSync;

    FillPipeline(VerifyingFill fill, ByteBufAllocator alloc, Executor workers) {
        this.fill = fill;
        this.alloc = alloc;
        this.workers = workers;
        this.signatureLane = new SerialLane(workers);
        this.fileLane = new SerialLane(workers);
    }

    /**
     * On the event loop: keeps the buffer; the next read may start as soon as this returns, inside the window. The
     * lock covers only the bookkeeping; a full block is handed to the lanes after it is released, so a lane finishing
     * a block never waits for the event loop's hand-off (nor the other way round) on a busy machine.
     */
    @Override
    public CompletionStage<Void> onContent(ByteBuf content) {
        Block full = null;
        CompletableFuture<Void> next;
        synchronized (this) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            if (gathering == null) {
                gathering = alloc.compositeBuffer(MAX_COMPONENTS);
            }
            gathering.addComponent(true, content.retain());
            bytesHeld += content.readableBytes();
            if (gathering.readableBytes() >= BLOCK_BYTES) {
                full = takeGathered();
            }
            if (bytesHeld < WINDOW_BYTES) {
                next = GO_ON;
            } else {
                readGate = new CompletableFuture<>();
                next = readGate;
            }
        }
        if (full != null) {
            // Only this thread submits blocks while the body flows, so the lanes receive them in body order.
            submit(full);
        }
        return next;
    }

    /**
     * The body ended cleanly: the last partial block goes to the lanes. Completes when both lanes have seen every
     * byte and any early sync is done (exceptionally with the first lane failure), so the fill may be completed.
     */
    synchronized CompletableFuture<Void> finish() {
        if (gathering != null && failure == null) {
            submit(takeGathered());
        }
        return end();
    }

    /**
     * The body failed: nothing more is processed, held buffers are released. Completes when no lane touches the fill
     * any more, so the temp file can be deleted.
     */
    synchronized CompletableFuture<Void> abort(Throwable cause) {
        failed(cause);
        return end();
    }

    private CompletableFuture<Void> end() {
        ended = true;
        if (gathering != null) {
            bytesHeld -= gathering.readableBytes();
            gathering.release();
            gathering = null;
        }
        completeIfDrained();
        return drained;
    }

    /** Called with the lock held: the block counts as in flight from here on. */
    private Block takeGathered() {
        Block block = new Block(gathering);
        gathering = null;
        tasksInFlight++;
        return block;
    }

    private void submit(Block block) {
        signatureLane.execute(() -> signatureStep(block));
        fileLane.execute(() -> fileStep(block));
    }

    private void signatureStep(Block block) {
        try {
            if (stillGoing()) {
                for (ByteBuffer buf : block.forSignature) {
                    fill.updateSignature(buf);
                }
            }
        } catch (Throwable e) {
            failed(e);
        } finally {
            block.laneDone();
        }
    }

    private void fileStep(Block block) {
        try {
            if (stillGoing()) {
                fill.digestAndWrite(block.forFile);
                startSyncIfDue();
            }
        } catch (Throwable e) {
            failed(e);
        } finally {
            block.laneDone();
        }
    }

    /** On the file lane, after a write. At most one sync runs; it is counted so that {@link #finish} waits for it. */
    private void startSyncIfDue() {
        long written = fill.bytesWritten();
        if (written - writtenAtLastSync < SYNC_EVERY_BYTES) {
            return;
        }
        synchronized (this) {
            if (syncing || failure != null) {
                return;
            }
            syncing = true;
            tasksInFlight++;
        }
        writtenAtLastSync = written;
        try {
            workers.execute(this::syncStep);
        } catch (RuntimeException e) {
            synchronized (this) {
                syncing = false;
                taskDone(0);
            }
            throw e;
        }
    }

    private void syncStep() {
        try {
            if (stillGoing()) {
                fill.syncWritten();
            }
        } catch (Throwable e) {
            failed(e);
        } finally {
            synchronized (this) {
                syncing = false;
                taskDone(0);
            }
        }
    }

    private boolean stillGoing() {
        return failure == null;
    }

    private void failed(Throwable cause) {
        CompletableFuture<Void> gate;
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = cause;
            gate = readGate;
            readGate = null;
        }
        if (gate != null) {
            gate.completeExceptionally(cause);
        }
    }

    /** Called with the lock held. */
    private void taskDone(long releasedBytes) {
        tasksInFlight--;
        bytesHeld -= releasedBytes;
        if (readGate != null && bytesHeld < WINDOW_BYTES) {
            CompletableFuture<Void> gate = readGate;
            readGate = null;
            // Completing runs the exchange's callback, which only schedules the next read on its event loop.
            gate.complete(null);
        }
        completeIfDrained();
    }

    private void completeIfDrained() {
        if (ended && tasksInFlight == 0 && !drained.isDone()) {
            if (failure != null) {
                drained.completeExceptionally(failure);
            } else {
                drained.complete(null);
            }
        }
    }

    /** One block of the body: its buffers, with a separate view for each lane, released when both are done. */
    private final class Block {
        private final CompositeByteBuf bytes;
        private final int length;
        private final ByteBuffer[] forSignature;
        private final ByteBuffer[] forFile;
        private final AtomicInteger lanesLeft = new AtomicInteger(2);

        Block(CompositeByteBuf bytes) {
            this.bytes = bytes;
            this.length = bytes.readableBytes();
            // Views made here, on the event loop, so that the lanes never share a buffer's position.
            this.forSignature = bytes.nioBuffers();
            this.forFile = bytes.nioBuffers();
        }

        void laneDone() {
            if (lanesLeft.decrementAndGet() == 0) {
                bytes.release();
                synchronized (FillPipeline.this) {
                    taskDone(length);
                }
            }
        }
    }
}
