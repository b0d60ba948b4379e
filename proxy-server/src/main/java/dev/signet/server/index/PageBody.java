package dev.signet.server.index;

import dev.signet.server.upstream.BodySink;
import dev.signet.server.upstream.UpstreamException;
import dev.signet.server.config.Units;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Collects a page body as it streams from the upstream, on the heap, reserving its bytes in the
 * {@link PageFetchBudget} chunk by chunk and refusing more than {@code max-page-size}. Each chunk is copied out of
 * Netty's buffer at once, so no network buffer is held while the page is being read.
 */
final class PageBody implements BodySink {

    private final String url;
    private final int maxBytes;
    private final PageFetchBudget budget;
    private final PageFetchBudget.Hold hold;
    private final List<byte[]> chunks = new ArrayList<>();
    private long size;

    PageBody(String url, int maxBytes, PageFetchBudget budget) {
        this.url = url;
        this.maxBytes = maxBytes;
        this.budget = budget;
        this.hold = budget.hold();
    }

    @Override
    public CompletionStage<Void> onContent(ByteBuf content) {
        int n = content.readableBytes();
        if (size + n > maxBytes) {
            return CompletableFuture.failedFuture(new UpstreamException(UpstreamException.Kind.TOO_LARGE,
                    "upstream response for " + url + " is larger than " + maxBytes + " bytes"));
        }
        if (!hold.grow((long) n * PageFetchBudget.IN_FLIGHT_FACTOR)) {
            return CompletableFuture.failedFuture(new PageMemoryExhaustedException("busy: index pages being fetched at once"
                    + " use the page memory budget (page-fetch-memory " + Units.formatSize(budget.limit())
                    + "); try again shortly"));
        }
        byte[] chunk = new byte[n];
        content.getBytes(content.readerIndex(), chunk);
        chunks.add(chunk);
        size += n;
        return CompletableFuture.completedFuture(null);
    }

    /** The whole body; the chunks are dropped. */
    byte[] bytes() {
        byte[] body = new byte[(int) size];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, body, at, chunk.length);
            at += chunk.length;
        }
        chunks.clear();
        return body;
    }

    /** Gives the reserved bytes back: once the page is parsed and stored, or the fetch failed. */
    void release() {
        hold.release();
    }
}
