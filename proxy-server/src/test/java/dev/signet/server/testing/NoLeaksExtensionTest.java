package dev.signet.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak check itself must be able to fail: a buffer dropped without release is reported. */
class NoLeaksExtensionTest {

    @Test
    void anUnreleasedBufferIsReported() throws InterruptedException {
        leakOne();
        assertThat(NoLeaksExtension.collectLeaks()).anySatisfy(leak -> assertThat(leak).startsWith("LEAK of"));
    }

    private static void leakOne() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(128);
        leaked.writeInt(42);
    }
}
