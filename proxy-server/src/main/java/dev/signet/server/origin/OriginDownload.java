package dev.signet.server.origin;

import dev.signet.publish.FileDigests;
import dev.signet.publish.StreamingDigests;
import dev.signet.server.concurrent.Futures;
import dev.signet.server.upstream.BodySink;
import dev.signet.server.upstream.Credentials;
import dev.signet.server.upstream.UpstreamClient;
import dev.signet.server.upstream.UpstreamException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Downloads one upstream file into a temp file through the upstream client, hashing while it writes (SHA-256 to check
 * against the upstream's hash, BLAKE2b-512 for the signature), and follows redirects only to hosts the
 * {@link FileHostPolicy} allows. Disk writes and hashing run on the workers; the client reads the next chunk only
 * once the previous one is written, so memory stays a few buffers however large the file.
 */
final class OriginDownload {

    private final UpstreamClient client;
    private final Credentials credentials;
    private final FileHostPolicy hosts;
    private final Executor workers;

    OriginDownload(UpstreamClient client, Credentials credentials, FileHostPolicy hosts, Executor workers) {
        this.client = client;
        this.credentials = credentials;
        this.hosts = hosts;
        this.workers = workers;
    }

    /** Writes {@code url}'s body to {@code temp} (created, empty) and completes with its digests. */
    CompletableFuture<FileDigests> fetch(URI url, Path temp, EventLoop loop) {
        return fetch(url, temp, loop, 0);
    }

    private CompletableFuture<FileDigests> fetch(URI url, Path temp, EventLoop loop, int redirects) {
        Optional<String> refused = hosts.refusal(url);
        if (refused.isPresent()) {
            return CompletableFuture.failedFuture(new OriginRefusedException("file_host", refused.get()));
        }
        FileSink sink;
        try {
            sink = new FileSink(FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING),
                    workers);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return client.stream(url, credentials.headersFor(url), sink, loop)
                .handleAsync((response, error) -> {
                    sink.closeQuietly();
                    if (error == null) {
                        return CompletableFuture.completedFuture(sink.digests.finish());
                    }
                    Throwable cause = Futures.unwrap(error);
                    if (cause instanceof UpstreamException ue && isRedirect(ue.status()) && ue.location() != null) {
                        if (redirects >= FileHostPolicy.MAX_REDIRECTS) {
                            return CompletableFuture.<FileDigests>failedFuture(new OriginRefusedException("file_host",
                                    "more than " + FileHostPolicy.MAX_REDIRECTS + " redirects for " + url.getRawPath()));
                        }
                        URI next;
                        try {
                            next = url.resolve(ue.location());
                        } catch (IllegalArgumentException e) {
                            return CompletableFuture.<FileDigests>failedFuture(new OriginRefusedException("file_host",
                                    "the upstream redirected to an invalid location"));
                        }
                        return fetch(next, temp, loop, redirects + 1);
                    }
                    return CompletableFuture.<FileDigests>failedFuture(cause);
                }, workers)
                .thenCompose(next -> next);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** Writes and hashes each chunk on a worker; the client holds the chunk until the returned stage completes. */
    private static final class FileSink implements BodySink {
        private final FileChannel channel;
        private final Executor workers;
        final StreamingDigests digests = new StreamingDigests();

        FileSink(FileChannel channel, Executor workers) {
            this.channel = channel;
            this.workers = workers;
        }

        @Override
        public CompletableFuture<Void> onContent(ByteBuf content) {
            return CompletableFuture.runAsync(() -> {
                try {
                    for (ByteBuffer buffer : content.nioBuffers()) {
                        digests.update(buffer);
                        while (buffer.hasRemaining()) {
                            channel.write(buffer);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, workers);
        }

        void closeQuietly() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Only ever read back after a clean end, by which point it was closed; a failed one is deleted.
            }
        }
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = Futures.unwrap(error);
        return cause instanceof UncheckedIOException io ? io.getCause() : cause instanceof CompletionException c ? c.getCause() : cause;
    }
}
