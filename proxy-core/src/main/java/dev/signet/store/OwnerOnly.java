package dev.signet.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owner-only permissions for everything the store creates: directories {@code 0700}, files {@code 0600}. In
 * {@code verify-on-serve: identity} mode a cached file is served by sendfile from the file itself, so whoever may
 * write it could change bytes under a transfer; with these modes only Signet's own user (and root) can. Temp files
 * from {@link Files#createTempFile} are already {@code 0600} on POSIX; directories would otherwise follow the umask
 * (typically {@code 0755}). On a filesystem without POSIX permissions these are no-ops.
 */
final class OwnerOnly {

    private static final Logger LOG = LoggerFactory.getLogger(OwnerOnly.class);

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** Creates {@code dir} and any missing parents, each created one {@code 0700} (the umask only removes bits). */
    static Path createDirectories(Path dir) throws IOException {
        if (!POSIX) {
            return Files.createDirectories(dir);
        }
        return Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
    }

    /** The attributes to create a file with (owner read and write), or none where POSIX permissions do not exist. */
    static FileAttribute<?>[] fileAttributes() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    /**
     * Creates {@code dir} owner-only if missing, and narrows an existing one left by an older version (or the
     * operator) to {@code 0700}: a directory only its owner can enter protects everything under it, whatever the
     * files' own modes. A directory Signet may not chmod (owned by someone else) is left alone with a warning.
     */
    static Path ensureDirectory(Path dir) throws IOException {
        createDirectories(dir);
        if (POSIX && !Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(DIRECTORY)) {
            try {
                Files.setPosixFilePermissions(dir, DIRECTORY);
                LOG.info("narrowed the permissions of {} to owner-only (0700)", dir);
            } catch (IOException e) {
                LOG.warn("cannot make {} owner-only (0700): {}; other users may be able to change cached files",
                        dir, e.toString());
            }
        }
        return dir;
    }
}
