package dev.signet.server.artifact;

import java.io.IOException;

/**
 * A fill could not write its temp file or commit it (disk full, I/O error, file size limit): {@code 503}, which
 * installers may retry later, with a one-line reason naming the file. Nothing of the artifact was cached, and nothing
 * was served to the client this answers (clients already given the verified temp file keep their bytes).
 */
public final class CacheWriteException extends IOException {

    private static final long serialVersionUID = 1L;

    CacheWriteException(String fileName, IOException cause) {
        super("cannot store " + fileName + " in the cache (" + describe(cause) + "); nothing was served or cached", cause);
    }

    /** Why the write failed, in a few words (the cause's message). */
    String reason() {
        return describe((IOException) getCause());
    }

    private static String describe(IOException cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
