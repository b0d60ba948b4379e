package dev.signet.store;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** The few filesystem operations whose ordering makes the store crash-safe. */
final class Durability {

    /** Windows cannot open a directory as a channel; NTFS journals renames itself. */
    private static final boolean DIRECTORY_SYNC_SUPPORTED = File.separatorChar == '/';

    private Durability() {
    }

    /** Makes renames and unlinks inside {@code dir} survive a power loss (POSIX needs this separately from file data). */
    static void fsyncDirectory(Path dir) throws IOException {
        if (!DIRECTORY_SYNC_SUPPORTED) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** rename(2): readers see either the old target or the complete new one, never a mix. */
    static void atomicMove(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes {@code bytes} as the whole content of an existing file and fsyncs it before returning. */
    static void writeAndSync(Path path, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }
}
