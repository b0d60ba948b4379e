package dev.signet.server.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.store.ArtifactKey;
import dev.signet.store.ArtifactRecord;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpContent;
import io.netty.buffer.ByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verified temp file answered while the commit runs: every client reads its own bytes through the one channel,
 * which stays open until the commit has ended and the last response is done, and no client is added after the commit.
 */
class EarlyAnswerTest {

    private static final ArtifactKey KEY = new ArtifactKey("demo", "demo-1.0-py3-none-any.whl");

    @TempDir
    Path dir;

    private final byte[] data = new byte[200_000];

    @Test
    void eachClientSendsTheWholeFileAndTheChannelClosesAfterTheLastOne() throws Exception {
        FileChannel channel = verifiedChannel();
        EarlyAnswer answer = new EarlyAnswer(KEY, record(), channel);
        ServableArtifact first = answer.open(CacheOutcome.MISS).orElseThrow();
        ServableArtifact second = answer.open(CacheOutcome.COALESCED).orElseThrow();
        assertThat(first.outcome()).isEqualTo(CacheOutcome.MISS);
        assertThat(second.length()).isEqualTo(data.length);

        DefaultFileRegion region = (DefaultFileRegion) first.body(0, data.length, true);
        DefaultFileRegion tail = (DefaultFileRegion) second.body(100, data.length - 100, true);
        first.close();
        answer.retire();
        assertThat(sent(region)).isEqualTo(data);
        region.release();
        assertThat(channel.isOpen()).as("the second client's region still sends from it").isTrue();
        assertThat(sent(tail)).isEqualTo(Arrays.copyOfRange(data, 100, data.length));
        tail.release();
        assertThat(channel.isOpen()).as("the second client's serve is not closed yet").isTrue();
        second.close();
        assertThat(channel.isOpen()).as("closed with the last reference").isFalse();
    }

    @Test
    void noClientIsAnsweredFromTheTempFileAfterTheCommitHasEnded() throws Exception {
        FileChannel channel = verifiedChannel();
        EarlyAnswer answer = new EarlyAnswer(KEY, record(), channel);
        answer.retire();
        assertThat(answer.open(CacheOutcome.COALESCED)).isEqualTo(Optional.empty());
        assertThat(channel.isOpen()).isFalse();
        answer.retire();
    }

    @Test
    void chunkedReadsBehindTlsReleaseTheirReferenceOnceWhenClosed() throws Exception {
        FileChannel channel = verifiedChannel();
        EarlyAnswer answer = new EarlyAnswer(KEY, record(), channel);
        ServableArtifact serve = answer.open(CacheOutcome.MISS).orElseThrow();
        HttpChunkedInput chunks = (HttpChunkedInput) serve.body(0, data.length, false);
        serve.close();
        answer.retire();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        while (!chunks.isEndOfInput()) {
            HttpContent chunk = chunks.readChunk(ByteBufAllocator.DEFAULT);
            byte[] bytes = new byte[chunk.content().readableBytes()];
            chunk.content().readBytes(bytes);
            chunk.release();
            read.write(bytes);
        }
        assertThat(read.toByteArray()).isEqualTo(data);
        chunks.close();
        chunks.close();
        assertThat(channel.isOpen()).isFalse();
    }

    private FileChannel verifiedChannel() throws Exception {
        new java.util.Random(3).nextBytes(data);
        Path temp = dir.resolve("fill.tmp");
        Files.write(temp, data);
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.READ);
        // As after the commit's rename: the open channel keeps the verified inode.
        Files.move(temp, dir.resolve("committed.whl"));
        return channel;
    }

    private ArtifactRecord record() {
        return new ArtifactRecord("00".repeat(32), data.length, "key", new byte[0], 0);
    }

    private static byte[] sent(DefaultFileRegion region) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WritableByteChannel target = Channels.newChannel(out);
        while (region.transferred() < region.count()) {
            region.transferTo(target, region.transferred());
        }
        return out.toByteArray();
    }
}
