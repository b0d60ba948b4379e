package dev.signet.server.artifact;

import dev.signet.store.ArtifactKey;
import java.util.function.LongSupplier;

/**
 * One fill in progress as {@link FillRegistry} sees it: when it started and, once the body is being received, a live
 * count of the bytes so far and the size the index page listed (if it listed one). {@link ArtifactFill} reports the
 * body's start; nothing else here touches the fill.
 */
public final class FillProgress {

    private static final LongSupplier NOTHING_YET = () -> 0;

    private final ArtifactKey key;
    private final long startNanos;
    private volatile LongSupplier received = NOTHING_YET;
    private volatile Long expectedSize;

    FillProgress(ArtifactKey key, long startNanos) {
        this.key = key;
        this.startNanos = startNanos;
    }

    /** The body is being received: {@code bytesSoFar} counts it, {@code size} is the index page's size or {@code null}. */
    void receiving(LongSupplier bytesSoFar, Long size) {
        this.expectedSize = size;
        this.received = bytesSoFar;
    }

    ArtifactKey key() {
        return key;
    }

    long startNanos() {
        return startNanos;
    }

    /** May wait for a write in progress on the fill (the counter is guarded by the temp file's lock): not on an event loop. */
    long received() {
        return received.getAsLong();
    }

    Long expectedSize() {
        return expectedSize;
    }
}
