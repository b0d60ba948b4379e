package dev.signet.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the filesystem says about a file, recorded when the file was verified and compared before
 * every serve: if any of these changed, the bytes may have changed and must be verified again.
 *
 * <p>The change time cannot be set by user space, so a rewrite that restores size and mtime still
 * changes {@code ctimeNanos}; a replacement by another file changes {@code inode}.
 *
 * @param size       length in bytes
 * @param mtimeNanos last modification time, nanoseconds since the epoch
 * @param ctimeNanos inode change time on POSIX systems; creation time elsewhere
 * @param inode      inode number on POSIX systems; a hash of the file key elsewhere (0 if none)
 */
public record FileIdentity(long size, long mtimeNanos, long ctimeNanos, long inode) {

    private static final String UNIX_ATTRIBUTES = "unix:size,lastModifiedTime,ctime,ino";

    /** Reads the identity of {@code p}, following symbolic links (it identifies the bytes a read would see). */
    public static FileIdentity of(Path p) throws IOException {
        if (p.getFileSystem().supportedFileAttributeViews().contains("unix")) {
            Map<String, Object> a = Files.readAttributes(p, UNIX_ATTRIBUTES);
            return new FileIdentity(
                    (Long) a.get("size"),
                    nanos((FileTime) a.get("lastModifiedTime")),
                    nanos((FileTime) a.get("ctime")),
                    (Long) a.get("ino"));
        }
        // Weaker fallback (e.g. Windows): no ctime, and the file key is opaque, so hash it.
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        Object fileKey = a.fileKey();
        return new FileIdentity(
                a.size(),
                nanos(a.lastModifiedTime()),
                nanos(a.creationTime()),
                fileKey == null ? 0L : fileKey.hashCode());
    }

    private static long nanos(FileTime t) {
        return t.to(TimeUnit.NANOSECONDS);
    }
}
