package dev.signet.server.shared;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A range of a committed file as a stream, by positional reads on a channel the uploader holds open: an upload (or a
 * part, or a retry of either) streams from the file without moving the channel's position or holding more than the
 * caller's buffer. Closing it does not close the channel.
 */
final class FileRangeStream extends InputStream {

    private final FileChannel channel;
    private final long end;
    private long position;

    FileRangeStream(FileChannel channel, long start, long length) {
        this.channel = channel;
        this.position = start;
        this.end = start + length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (position >= end) {
            return -1;
        }
        int want = (int) Math.min(len, end - position);
        int n = channel.read(ByteBuffer.wrap(b, off, want), position);
        if (n < 0) {
            // The file is shorter than its record: the upload fails rather than sending a short object.
            throw new IOException("file ended at " + position + " bytes, " + end + " were committed");
        }
        position += n;
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, end - position);
    }
}
