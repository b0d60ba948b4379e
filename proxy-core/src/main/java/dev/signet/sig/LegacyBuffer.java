package dev.signet.sig;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** A byte buffer that grows by doubling up to a hard cap, so small legacy artifacts do not reserve the cap. */
final class LegacyBuffer {

    private static final int INITIAL_BYTES = 8 * 1024;

    private final int cap;
    private byte[] data;
    private int length;

    LegacyBuffer(int cap) {
        this.cap = cap;
        this.data = new byte[Math.min(cap, INITIAL_BYTES)];
    }

    /** Appends, or returns false without appending when the result would exceed the cap. */
    boolean append(byte[] b, int off, int len) {
        if (!makeRoom(len)) {
            return false;
        }
        System.arraycopy(b, off, data, length, len);
        length += len;
        return true;
    }

    /** Appends {@code buf} from its position to its limit (consuming it), or returns false as above. */
    boolean append(ByteBuffer buf) {
        int len = buf.remaining();
        if (!makeRoom(len)) {
            return false;
        }
        buf.get(data, length, len);
        length += len;
        return true;
    }

    private boolean makeRoom(int len) {
        if (len > cap - length) {
            return false;
        }
        if (len > data.length - length) {
            long wanted = Math.max((long) data.length * 2, (long) length + len);
            data = Arrays.copyOf(data, (int) Math.min(wanted, cap));
        }
        return true;
    }

    byte[] array() {
        return data;
    }

    int length() {
        return length;
    }
}
