package dev.signet.server.upstream;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;

/**
 * Receives a streamed response body, one chunk at a time. The upstream client reads the next chunk only after the
 * stage returned for the previous one completes: that is the backpressure that keeps a 2 GB artifact inside a few
 * buffers. The client owns {@code content} and releases it once the stage completes (successfully or not), so a
 * sink must finish with the buffer by then and must not retain it.
 */
@FunctionalInterface
public interface BodySink {
    CompletionStage<Void> onContent(ByteBuf content);
}
