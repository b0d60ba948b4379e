package dev.signet.server.upstream;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;

/**
 * Receives a streamed response body, one chunk at a time. The upstream client reads the next chunk only after the
 * stage returned for the previous one completes: that is the backpressure that keeps a 2 GB artifact inside a few
 * buffers. A sink with room may return a completed stage and keep working on the chunk: it then
 * {@link ByteBuf#retain() retains} it and releases it itself, and bounds how much it holds. The client releases its
 * own reference once the stage completes (successfully or not). A failed stage stops the body and closes the
 * connection; its cause is the stream's failure.
 */
@FunctionalInterface
public interface BodySink {
    CompletionStage<Void> onContent(ByteBuf content);
}
