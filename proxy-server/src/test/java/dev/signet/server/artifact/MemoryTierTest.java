package dev.signet.server.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.store.ArtifactKey;
import dev.signet.store.ArtifactRecord;
import dev.signet.store.ArtifactStore;
import dev.signet.store.PendingFill;
import dev.signet.store.StoredArtifact;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryTierTest {

    @TempDir
    Path dir;
    private ArtifactStore store;
    private final List<ByteBuf> retained = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        store = ArtifactStore.open(dir.resolve("cache"));
    }

    @AfterEach
    void close() throws Exception {
        retained.forEach(ByteBuf::release);
        store.close();
    }

    @Test
    void keepsTheVerifiedBytesAndServesThemOnlyForThatEntry() throws Exception {
        byte[] bytes = random(70_000, 1);
        StoredArtifact entry = commit("a-1.0-py3-none-any.whl", bytes);
        try (MemoryTier tier = new MemoryTier(1 << 20, 1 << 20); FileChannel channel = read(entry)) {
            assertThat(tier.retain(entry)).isNull();
            assertThat(tier.admit(entry, channel)).isTrue();

            ByteBuf copy = keep(tier.retain(entry));
            assertThat(ByteBufUtil.getBytes(copy)).isEqualTo(bytes);
            assertThat(tier.hits()).isEqualTo(1);
            assertThat(tier.bytes()).isEqualTo(bytes.length);
            assertThat(tier.entries()).isEqualTo(1);

            // The same key re-verified as another entry (e.g. after its file changed): the old copy is not that entry.
            StoredArtifact reverified = store.refreshIdentity(entry);
            assertThat(reverified).isNotSameAs(entry);
            assertThat(tier.retain(reverified)).isNull();
        }
    }

    @Test
    void regressionBytesChangedOnDiskAfterTheirCheckAreNotCaptured() throws Exception {
        byte[] bytes = random(50_000, 2);
        StoredArtifact entry = commit("b-1.0-py3-none-any.whl", bytes);
        byte[] altered = bytes.clone();
        altered[25_000] ^= 1;
        Files.write(entry.path(), altered);
        try (MemoryTier tier = new MemoryTier(1 << 20, 1 << 20); FileChannel channel = read(entry)) {
            assertThat(tier.admit(entry, channel)).as("digest differs from the verified one").isFalse();
            assertThat(tier.retain(entry)).isNull();
            assertThat(tier.entries()).isZero();
        }
    }

    @Test
    void aFileLongerOrShorterThanItsRecordIsNotKept() throws Exception {
        byte[] bytes = random(10_000, 3);
        StoredArtifact longer = commit("c-1.0-py3-none-any.whl", bytes);
        Files.write(longer.path(), new byte[] {1}, StandardOpenOption.APPEND);
        StoredArtifact shorter = commit("d-1.0-py3-none-any.whl", bytes);
        try (FileChannel truncate = FileChannel.open(shorter.path(), StandardOpenOption.WRITE)) {
            truncate.truncate(9_000);
        }
        try (MemoryTier tier = new MemoryTier(1 << 20, 1 << 20);
             FileChannel a = read(longer); FileChannel b = read(shorter)) {
            assertThat(tier.admit(longer, a)).isFalse();
            assertThat(tier.admit(shorter, b)).isFalse();
            assertThat(tier.entries()).isZero();
        }
    }

    @Test
    void objectsOverTheLimitAndADisabledTierKeepNothing() throws Exception {
        StoredArtifact entry = commit("e-1.0-py3-none-any.whl", random(5_000, 4));
        try (MemoryTier small = new MemoryTier(1 << 20, 4_999); MemoryTier off = MemoryTier.disabled();
             FileChannel channel = read(entry)) {
            assertThat(small.accepts(5_000)).isFalse();
            assertThat(small.admit(entry, channel)).isFalse();
            assertThat(off.enabled()).isFalse();
            assertThat(off.admit(entry, channel)).isFalse();
            assertThat(off.retain(entry)).isNull();
        }
    }

    @Test
    void evictionAndInvalidationFreeTheMemoryOnceTheLastResponseIsDone() throws Exception {
        StoredArtifact first = commit("f-1.0-py3-none-any.whl", random(40_000, 5));
        StoredArtifact second = commit("g-1.0-py3-none-any.whl", random(40_000, 6));
        try (MemoryTier tier = new MemoryTier(60_000, 50_000);
             FileChannel a = read(first); FileChannel b = read(second)) {
            assertThat(tier.admit(first, a)).isTrue();
            ByteBuf inFlight = tier.retain(first);
            assertThat(inFlight.refCnt()).isEqualTo(2);

            tier.invalidate(first.key());
            assertThat(tier.retain(first)).isNull();
            assertThat(inFlight.refCnt()).as("the response still being written keeps its bytes").isEqualTo(1);
            inFlight.release();
            assertThat(inFlight.refCnt()).isZero();

            // Over budget: at most one 40 KB copy fits in 60 KB.
            assertThat(tier.admit(first, a)).isTrue();
            tier.admit(second, b);
            // Caffeine evicts in its maintenance cycle, which a same-thread executor runs before admit returns.
            assertThat(tier.bytes()).isLessThanOrEqualTo(60_000);
            assertThat(tier.entries()).isEqualTo(1);
        }
    }

    @Test
    void closeReleasesEveryCopy() throws Exception {
        StoredArtifact entry = commit("h-1.0-py3-none-any.whl", random(20_000, 7));
        MemoryTier tier = new MemoryTier(1 << 20, 1 << 20);
        try (FileChannel channel = read(entry)) {
            assertThat(tier.admit(entry, channel)).isTrue();
        }
        ByteBuf view = tier.retain(entry);
        view.release();
        tier.close();
        assertThat(view.refCnt()).isZero();
        assertThat(tier.retain(entry)).isNull();
    }

    private ByteBuf keep(ByteBuf buf) {
        assertThat(buf).isNotNull();
        retained.add(buf);
        return buf;
    }

    private StoredArtifact commit(String file, byte[] bytes) throws Exception {
        try (PendingFill fill = store.beginFill(new ArtifactKey(file.substring(0, 1), file))) {
            fill.write(ByteBuffer.wrap(bytes));
            return fill.commit(new ArtifactRecord(sha256(bytes), bytes.length, "0123456789ABCDEF", "sig\n".getBytes(),
                    System.currentTimeMillis()));
        }
    }

    private static FileChannel read(StoredArtifact entry) throws Exception {
        return FileChannel.open(entry.path(), StandardOpenOption.READ);
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
