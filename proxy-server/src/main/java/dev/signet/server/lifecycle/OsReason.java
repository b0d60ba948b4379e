package dev.signet.server.lifecycle;

import java.io.FileNotFoundException;
import java.net.BindException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * The operating system's reason for a failure, in the words {@code strerror} would use ("no such file or directory",
 * "permission denied", "address already in use"), and the file it concerns when that is not the one the person named.
 *
 * <p>The JDK hides the reason in the exception type for the common file errors: a {@code NoSuchFileException}'s
 * message is just the path, so {@code "cannot start: " + e.getMessage()} printed {@code - /path/cache}; an
 * {@code UnresolvedAddressException} has no message at all ({@code "...: null"}).
 */
public final class OsReason {

    private static final java.util.regex.Pattern NATIVE_CALL_FAILED =
            java.util.regex.Pattern.compile("\\w+\\(\\.\\.\\) failed[^:]*: (.+)");

    private OsReason() {
    }

    /** One line: the reason, then {@code (FILE)} when the failing file is known; never {@code null}. */
    public static String of(Throwable failure) {
        return describe(failure, null);
    }

    /**
     * As {@link #of(Throwable)}, leaving out the file when it is {@code named} (the path the message already shows),
     * so a message does not say the path twice.
     */
    public static String of(Throwable failure, Object named) {
        return describe(failure, named == null ? null : named.toString());
    }

    private static String describe(Throwable failure, String named) {
        Throwable t = innermostWithReason(failure);
        if (t instanceof FileSystemException fs) {
            String reason = fileReason(fs);
            String file = fs.getFile();
            boolean showFile = file != null && !file.equals(named) && !pathEquals(file, named);
            String other = fs.getOtherFile() != null ? " -> " + fs.getOtherFile() : "";
            return showFile ? reason + " (" + file + other + ")" : reason;
        }
        if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
            return "host name not found (no DNS or /etc/hosts entry)";
        }
        if (t instanceof FileNotFoundException && t.getMessage() != null) {
            // FileInputStream: "path (No such file or directory)".
            return lowerFirst(t.getMessage());
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return lowerFirst(splitCamelCase(t.getClass().getSimpleName()));
        }
        java.util.regex.Matcher syscall = NATIVE_CALL_FAILED.matcher(message);
        if (syscall.matches()) {
            // Netty's native transport: "bind(..) failed with error(-98): Address already in use".
            return lowerFirst(syscall.group(1));
        }
        return t instanceof BindException ? lowerFirst(message) : message;
    }

    /** The deepest cause that says something: wrappers ("cannot listen on ...: null") add nothing. */
    private static Throwable innermostWithReason(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String fileReason(FileSystemException fs) {
        if (fs.getReason() != null && !fs.getReason().isBlank()) {
            return lowerFirst(fs.getReason());
        }
        if (fs instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (fs instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (fs instanceof FileAlreadyExistsException) {
            return "file exists";
        }
        if (fs instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (fs instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (fs instanceof FileSystemLoopException) {
            return "too many levels of symbolic links";
        }
        return lowerFirst(splitCamelCase(fs.getClass().getSimpleName()));
    }

    private static boolean pathEquals(String a, String b) {
        if (b == null) {
            return false;
        }
        try {
            return java.nio.file.Path.of(a).toAbsolutePath().normalize()
                    .equals(java.nio.file.Path.of(b).toAbsolutePath().normalize());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String splitCamelCase(String name) {
        String words = name.replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2");
        return words.isBlank() ? name : words.toLowerCase(Locale.ROOT);
    }

    private static String lowerFirst(String text) {
        if (text.length() > 1 && Character.isUpperCase(text.charAt(0)) && !Character.isUpperCase(text.charAt(1))) {
            return Character.toLowerCase(text.charAt(0)) + text.substring(1);
        }
        return text;
    }
}
