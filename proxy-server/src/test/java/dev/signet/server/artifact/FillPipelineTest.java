package dev.signet.server.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.fill.ExpectedArtifact;
import dev.signet.fill.VerifyingFill;
import dev.signet.sig.FileNamePolicy;
import dev.signet.sig.Keyring;
import dev.signet.sig.MinisignKeyPair;
import dev.signet.sig.MinisignSigner;
import dev.signet.sig.TrustedKey;
import dev.signet.sig.VerificationException;
import dev.signet.sig.VerificationFailure;
import dev.signet.store.ArtifactKey;
import dev.signet.store.ArtifactStore;
import dev.signet.store.StoredArtifact;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayInputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline between the upstream socket and a real {@link VerifyingFill} on a real store: what it commits is the
 * signed bytes, the read-ahead stops at the window, and every buffer it kept is released on every path.
 */
class FillPipelineTest {

    private static final String FILE = "demo-1.0-py3-none-any.whl";
    /** Socket-read sized pieces that do not line up with the pipeline's blocks. */
    private static final int PIECE = 65_537;

    @TempDir
    Path dir;
    private final byte[] data = new byte[5 * FillPipeline.BLOCK_BYTES + 12_345];
    private final MinisignKeyPair pair = MinisignKeyPair.generate(new SecureRandom());
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final List<ByteBuf> fed = new ArrayList<>();
    private ArtifactStore store;
    private byte[] signature;

    @BeforeEach
    void setUp() throws Exception {
        new Random(7).nextBytes(data);
        signature = MinisignSigner.sign(pair.secretKey(), new ByteArrayInputStream(data), FILE, null, null).encode();
        store = ArtifactStore.open(dir.resolve("cache"));
    }

    @AfterEach
    void tearDown() throws Exception {
        workers.shutdownNow();
        assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fed).as("every buffer handed to the pipeline is released").allMatch(b -> b.refCnt() == 0);
    }

    @Test
    void aBodyFedInSocketSizedPiecesIsCommittedByteForByte() throws Exception {
        VerifyingFill fill = fill(data.length);
        FillPipeline pipeline = new FillPipeline(fill, PooledByteBufAllocator.DEFAULT, workers);
        feed(pipeline, 0, data.length);
        pipeline.finish().get(30, TimeUnit.SECONDS);
        StoredArtifact stored = fill.complete(data.length);
        fill.close();

        assertThat(Files.readAllBytes(stored.path())).isEqualTo(data);
        assertThat(stored.record().sha256Hex()).isEqualTo(sha256(data));
        assertThat(fill.bytesWritten()).isEqualTo(data.length);
    }

    @Test
    void readAheadStopsAtTheWindowWhileTheLanesAreBusy() throws Exception {
        CountDownLatch lanesHeld = new CountDownLatch(1);
        ExecutorService held = Executors.newFixedThreadPool(2);
        try {
            held.execute(() -> await(lanesHeld));
            held.execute(() -> await(lanesHeld));
            VerifyingFill fill = fill(data.length);
            FillPipeline pipeline = new FillPipeline(fill, PooledByteBufAllocator.DEFAULT, held);
            long offered = 0;
            CompletableFuture<Void> gate = null;
            while (gate == null) {
                CompletableFuture<Void> stage = offer(pipeline, (int) offered, PIECE);
                offered += PIECE;
                if (!stage.isDone()) {
                    gate = stage;
                }
            }
            assertThat(offered).as("bytes taken before the pipeline asked the socket to wait")
                    .isGreaterThanOrEqualTo(FillPipeline.WINDOW_BYTES).isLessThan(FillPipeline.WINDOW_BYTES + PIECE);

            lanesHeld.countDown();
            gate.get(30, TimeUnit.SECONDS);
            pipeline.abort(new IllegalStateException("test over")).handle((ok, e) -> null).get(30, TimeUnit.SECONDS);
            fill.close();
        } finally {
            lanesHeld.countDown();
            held.shutdown();
            assertThat(held.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aBodyLongerThanTheIndexListsFailsTheNextReadAndReleasesEverything() throws Exception {
        VerifyingFill fill = fill(2 * FillPipeline.BLOCK_BYTES);
        FillPipeline pipeline = new FillPipeline(fill, PooledByteBufAllocator.DEFAULT, workers);
        CompletableFuture<Void> refused = null;
        for (int offset = 0; offset < data.length && refused == null; offset += PIECE) {
            CompletableFuture<Void> stage = offer(pipeline, offset, Math.min(PIECE, data.length - offset));
            try {
                stage.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                refused = stage;
            }
        }
        assertThat(refused).as("the socket was told to stop once a lane refused the body").isNotNull();
        Throwable cause = refused.handle((ok, e) -> e).join();
        assertThatThrownBy(() -> pipeline.abort(cause).join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(VerificationException.class)
                .satisfies(e -> assertThat(((VerificationException) e.getCause()).failure())
                        .isEqualTo(VerificationFailure.LENGTH_MISMATCH));
        fill.close();
        assertThat(store.lookup(new ArtifactKey("demo", FILE))).isEmpty();
        assertThat(Files.list(dir.resolve("cache").resolve("tmp")).count()).as("temp file deleted").isZero();
    }

    @Test
    void anAbortMidBodyReleasesEverythingAndCommitsNothing() throws Exception {
        VerifyingFill fill = fill(data.length);
        FillPipeline pipeline = new FillPipeline(fill, PooledByteBufAllocator.DEFAULT, workers);
        feed(pipeline, 0, data.length / 2);
        assertThatThrownBy(() -> pipeline.abort(new IllegalStateException("connection reset")).get(30, TimeUnit.SECONDS))
                .hasRootCauseMessage("connection reset");
        fill.close();
        assertThat(store.lookup(new ArtifactKey("demo", FILE))).isEmpty();
    }

    @Test
    void theVerifiedTempFileIsHandedOverBeforeTheCommitAndStaysReadableAfterIt() throws Exception {
        VerifyingFill fill = fill(data.length);
        List<String> seenAtVerdict = new ArrayList<>();
        FileChannel[] verified = new FileChannel[1];
        fill.whenVerified((record, channel) -> {
            verified[0] = channel;
            seenAtVerdict.add(record.sha256Hex());
            try {
                seenAtVerdict.add(store.lookup(new ArtifactKey("demo", FILE)).isPresent() ? "committed" : "not committed");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        FillPipeline pipeline = new FillPipeline(fill, PooledByteBufAllocator.DEFAULT, workers);
        feed(pipeline, 0, data.length);
        pipeline.finish().get(30, TimeUnit.SECONDS);
        StoredArtifact stored = fill.complete(data.length);
        fill.close();

        assertThat(seenAtVerdict).containsExactly(sha256(data), "not committed");
        try (FileChannel channel = verified[0]) {
            assertThat(readAll(channel)).as("the same inode, renamed into the store").isEqualTo(data);
        }
        assertThat(Files.readAllBytes(stored.path())).isEqualTo(data);
    }

    @Test
    void aRefusedBodyIsNeverHandedToTheVerifiedListener() throws Exception {
        byte[] good = data.clone();
        data[data.length / 2] ^= 1;
        VerifyingFill fill = fill(data.length, sha256(good));
        List<Object> told = new ArrayList<>();
        fill.whenVerified((record, channel) -> told.add(channel));
        FillPipeline pipeline = new FillPipeline(fill, PooledByteBufAllocator.DEFAULT, workers);
        feed(pipeline, 0, data.length);
        pipeline.finish().get(30, TimeUnit.SECONDS);

        assertThatThrownBy(() -> fill.complete(data.length)).isInstanceOf(VerificationException.class);
        fill.close();
        assertThat(told).as("no channel on refused bytes").isEmpty();
        assertThat(store.lookup(new ArtifactKey("demo", FILE))).isEmpty();
        assertThat(Files.list(dir.resolve("cache").resolve("tmp")).count()).as("temp file deleted").isZero();
    }

    private static byte[] readAll(FileChannel channel) throws java.io.IOException {
        java.nio.ByteBuffer all = java.nio.ByteBuffer.allocate((int) channel.size());
        while (all.hasRemaining() && channel.read(all, all.position()) > 0) {
            // positional reads, as sendfile does
        }
        return all.array();
    }

    private VerifyingFill fill(long listedSize) throws Exception {
        return fill(listedSize, listedSize == data.length ? sha256(data) : null);
    }

    private VerifyingFill fill(long listedSize, String listedSha256) throws Exception {
        Keyring keyring = new Keyring(List.of(TrustedKey.of(pair.publicKey())), Set.of(), FileNamePolicy.REQUIRE);
        return new VerifyingFill(store.beginFill(new ArtifactKey("demo", FILE)),
                keyring.begin("demo", FILE, signature, listedSize),
                new ExpectedArtifact(listedSha256, listedSize), signature, Clock.systemUTC());
    }

    /** As the upstream exchange does: each piece waits for the stage of the previous one, then loses its reference. */
    private void feed(FillPipeline pipeline, int from, int to) throws Exception {
        for (int offset = from; offset < to; offset += PIECE) {
            offer(pipeline, offset, Math.min(PIECE, to - offset)).get(30, TimeUnit.SECONDS);
        }
    }

    private CompletableFuture<Void> offer(FillPipeline pipeline, int offset, int length) {
        ByteBuf piece = PooledByteBufAllocator.DEFAULT.directBuffer(length);
        piece.writeBytes(data, offset, length);
        fed.add(piece);
        CompletableFuture<Void> stage = pipeline.onContent(piece).toCompletableFuture();
        stage.whenComplete((ok, e) -> piece.release());
        return stage;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
