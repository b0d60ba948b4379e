package dev.signet.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs an external tool to completion with a deadline, capturing its combined output for assertion messages. */
public final class Processes {
    public record Result(int exitCode, String output) {
    }

    private Processes() {
    }

    public static Result run(Path workDir, List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        return run(workDir, command, timeoutSeconds, env -> { });
    }

    public static Result run(Path workDir, List<String> command, long timeoutSeconds, Consumer<Map<String, String>> env)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(workDir, "process-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        env.accept(builder.environment());
        try {
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(command.get(0) + " did not finish within " + timeoutSeconds
                        + " s; output:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
