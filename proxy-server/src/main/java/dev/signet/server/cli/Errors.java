package dev.signet.server.cli;

import dev.signet.server.lifecycle.OsReason;
import dev.signet.server.lifecycle.StartupFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.List;
import picocli.CommandLine;

/** How commands report failures: one line per problem on stderr, exit code 2 for usage/config, 1 otherwise. */
final class Errors {

    private Errors() {
    }

    static int report(String what, List<String> problems) {
        System.err.println("signet: " + what + ":");
        problems.forEach(p -> System.err.println("  - " + p));
        return 2;
    }

    static int fail(String message) {
        System.err.println("signet: " + message);
        return 1;
    }

    /** {@code signet: cannot DOING PATH: REASON}, exit 1: a file the person named could not be used. */
    static int cannot(String doing, Object path, IOException e) {
        return fail("cannot " + doing + " " + path + ": " + OsReason.of(e, path));
    }

    /**
     * An I/O failure as one line a person can act on: the file and the operating system's reason
     * ({@code "x.key: no such file or directory"}), never just the bare path a {@code NoSuchFileException} carries.
     */
    static String describe(IOException e) {
        if (e instanceof StartupFailure) {
            return e.getMessage();
        }
        if (e instanceof FileSystemException fs && fs.getFile() != null) {
            return fs.getFile() + ": " + OsReason.of(fs, fs.getFile());
        }
        String reason = OsReason.of(e);
        return e.getMessage() == null || e.getMessage().equals(reason) || e.getCause() == null
                ? reason : e.getMessage() + ": " + reason;
    }

    /**
     * The last line of defence behind every command: an I/O failure the command did not word itself (a file that
     * vanished, a full disk) is still one line naming the file and the reason, exit 1, not a Java stack trace.
     * Anything else is a bug in Signet and keeps its stack trace, so it can be reported.
     */
    static final class IoFailures implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine commandLine, CommandLine.ParseResult parsed)
                throws Exception {
            IOException io = ex instanceof IOException e ? e
                    : ex instanceof UncheckedIOException u ? u.getCause() : null;
            if (io == null) {
                throw ex;
            }
            commandLine.getErr().println("signet " + commandLine.getCommandName() + ": " + describe(io));
            commandLine.getErr().flush();
            return 1;
        }
    }
}
