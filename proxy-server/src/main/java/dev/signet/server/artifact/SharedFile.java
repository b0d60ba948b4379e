package dev.signet.server.artifact;

import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One open file that several responses send at once: the verified temp file of a fill, answered to every client that
 * waited for it while the commit runs (see {@link EarlyAnswer}). Sendfile and chunked reads both use positional I/O,
 * so the responses never share a file position; the channel closes when the last reference goes: each response's
 * {@link ServableArtifact} and each message body made from it hold one.
 *
 * <p>Why not a channel per response: the temp file is renamed into the store during the commit, so its path, opened
 * after the verdict, may already name nothing; a channel opened before the commit stays on the inode that was
 * verified whatever the commit does.
 */
final class SharedFile extends AbstractReferenceCounted {

    private final FileChannel channel;

    /** Takes over {@code channel}; the caller holds the first reference. */
    SharedFile(FileChannel channel) {
        this.channel = channel;
    }

    /** For positional reads while the caller holds a reference. */
    FileChannel channel() {
        return channel;
    }

    /** Bytes {@code [start, start + count)} for sendfile; holds a reference until the channel writing it releases it. */
    DefaultFileRegion region(long start, long count) {
        retain();
        return new DefaultFileRegion(channel, start, count) {
            @Override
            protected void deallocate() {
                // Not super.deallocate(): that would close the channel the other responses still send from.
                SharedFile.this.release();
            }
        };
    }

    /** The same bytes as chunked reads (TLS encrypts in user space); holds a reference until the input is closed. */
    HttpChunkedInput chunks(long start, long count, int chunkSize) {
        retain();
        AtomicBoolean closed = new AtomicBoolean();
        try {
            return new HttpChunkedInput(new ChunkedNioFile(channel, start, count, chunkSize) {
                @Override
                public void close() {
                    if (closed.compareAndSet(false, true)) {
                        SharedFile.this.release();
                    }
                }
            });
        } catch (IOException | RuntimeException e) {
            release();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    @Override
    protected void deallocate() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // A read-only channel loses nothing when closing fails.
        }
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        return this;
    }
}
