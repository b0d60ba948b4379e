package dev.signet.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class (service loader + autodetection): after the class, collect garbage, let the
 * detector poll its queue, and fail if any Netty buffer was garbage-collected without being released.
 */
public final class NoLeaksExtension implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        if (ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.DISABLED) {
            return;
        }
        assertThat(collectLeaks()).as("Netty buffers leaked in " + context.getDisplayName()).isEmpty();
    }

    /** Collects garbage until the detector has reported what it can, and returns (and forgets) the leaks. */
    static List<String> collectLeaks() throws InterruptedException {
        for (int round = 0; round < 5; round++) {
            System.gc();
            // Reference processing runs on its own thread after a GC: give it a moment to enqueue the collected.
            Thread.sleep(20);
            // The detector looks for collected, unreleased buffers each time it tracks a new one.
            for (ByteBufAllocator alloc : List.of(PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT,
                    ByteBufAllocator.DEFAULT)) {
                ByteBuf probe = alloc.directBuffer(1);
                probe.release();
                ByteBuf heap = alloc.heapBuffer(1);
                heap.release();
            }
        }
        return CountingLeakDetector.drain();
    }
}
