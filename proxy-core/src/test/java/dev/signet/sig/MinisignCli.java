package dev.signet.sig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code /usr/bin/minisign} in a directory, feeding stdin and collecting its combined output. */
final class MinisignCli {

    static final Path BINARY = Path.of("/usr/bin/minisign");

    record Result(int exitCode, String output) {
        Result assertSuccess() {
            assertThat(exitCode).as("minisign exit code, output: %s", output).isZero();
            return this;
        }
    }

    private final Path directory;

    MinisignCli(Path directory) {
        assumeThat(Files.isExecutable(BINARY)).as("the real minisign binary is installed at " + BINARY).isTrue();
        this.directory = directory;
    }

    Result run(String stdin, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .start();
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            try (InputStream out = process.getInputStream()) {
                out.transferTo(output);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("minisign did not finish within 60 s: " + command);
            }
            return new Result(process.exitValue(), output.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    /** {@code minisign -G -W}: an unencrypted key pair in {@code name.pub} and {@code name.key}. */
    void generateUnencrypted(String name) {
        run(null, "-G", "-W", "-f", "-p", name + ".pub", "-s", name + ".key").assertSuccess();
    }

    Path resolve(String name) {
        return directory.resolve(name);
    }

    String read(String name) throws IOException {
        return Files.readString(directory.resolve(name), StandardCharsets.UTF_8);
    }
}
