package dev.signet.server.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs {@code signet ARGS...} in this JVM and captures what it printed, for tests of the command line. */
final class InProcessCli {

    /** What one in-process run of {@code signet} returned and printed. */
    record Run(int exitCode, String out, String err) {
    }

    private InProcessCli() {
    }

    static Run signet(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            // Created after the swap: picocli binds its writers to System.out/err when the CommandLine is built.
            int code = SignetCommand.commandLine().execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }
}
