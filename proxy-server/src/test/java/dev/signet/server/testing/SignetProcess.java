package dev.signet.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged {@code signet.jar} in its own JVM, as an operator runs it. Its log lines are collected; the port it
 * bound is read from its "listening" line, so tests can pass {@code --listen 127.0.0.1:0}.
 */
public final class SignetProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("signet listening on http://[^:]+:(\\d+)/simple/");
    private static final Pattern ADMIN = Pattern.compile("signet admin listening on http://[^:]+:(\\d+)/");

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final CompletableFuture<Integer> adminPort = new CompletableFuture<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

    private record Waiter(Pattern pattern, CompletableFuture<String> line) {}

    private SignetProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readOutput, "signet-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java <jvmArgs> -jar target/signet.jar <args>} and waits until it listens. */
    public static SignetProcess start(List<String> jvmArgs, List<String> args) throws Exception {
        return start(List.of(), jvmArgs, args);
    }

    /** As above, the command run by {@code launcher} (e.g. {@code prlimit --fsize=N --} for a file size limit). */
    public static SignetProcess start(List<String> launcher, List<String> jvmArgs, List<String> args) throws Exception {
        Path jar = Path.of("target", "signet.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: integration tests run after `mvn package`");
        }
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(args);
        return launch(command, Map.of(), 60);
    }

    /**
     * {@code java <jvmArgs> -cp <this test run's classpath> SignetCommand <args>} with {@code env} added to the
     * environment (e.g. {@code SIGNET_*} variables), no packaged jar needed; waits until it listens, up to 5 minutes
     * (decrypting a key with minisign's scrypt limits takes seconds of CPU, much longer on a loaded machine).
     */
    public static SignetProcess startFromClasspath(List<String> jvmArgs, List<String> args, Map<String, String> env)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.signet.server.cli.SignetCommand"));
        command.addAll(args);
        return launch(command, env, 300);
    }

    private static SignetProcess launch(List<String> command, Map<String, String> env, long startSeconds)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        SignetProcess signet = new SignetProcess(process);
        try {
            signet.port.get(startSeconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            signet.close();
            throw new IllegalStateException("signet did not start listening: " + String.join("\n", signet.lines), e);
        }
        return signet;
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
                Matcher a = ADMIN.matcher(line);
                if (a.find()) {
                    adminPort.complete(Integer.parseInt(a.group(1)));
                }
                for (Waiter w : waiters) {
                    if (w.pattern().matcher(line).find()) {
                        w.line().complete(line);
                    }
                }
            }
        } catch (IOException e) {
            lines.add("(output stream closed: " + e.getMessage() + ")");
        } finally {
            port.completeExceptionally(new IllegalStateException("signet exited with " + lines));
            adminPort.completeExceptionally(new IllegalStateException("signet exited with " + lines));
            waiters.forEach(w -> w.line().completeExceptionally(new IllegalStateException("signet exited with " + lines)));
        }
    }

    public int port() {
        return port.join();
    }

    public int adminPort() {
        return adminPort.join();
    }

    /**
     * Completes with the first output line, from now on or already printed, that matches {@code regex}; fails if the
     * process ends first.
     */
    public CompletableFuture<String> line(String regex) {
        Pattern pattern = Pattern.compile(regex);
        Waiter waiter = new Waiter(pattern, new CompletableFuture<>());
        waiters.add(waiter);
        for (String line : lines) {
            if (pattern.matcher(line).find()) {
                waiter.line().complete(line);
            }
        }
        if (!process.isAlive() && !waiter.line().isDone()) {
            waiter.line().completeExceptionally(new IllegalStateException("signet exited with " + lines));
        }
        return waiter.line();
    }

    /**
     * Sends SIGTERM without waiting. Through the process handle: {@code Process.destroy()} would also close our end
     * of its output, and the drain's log lines would be lost.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** Waits for the process to exit and returns its exit code. */
    public int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("signet did not exit within " + seconds + " s: " + lines);
        }
        return process.exitValue();
    }

    public String simpleUrl() {
        return "http://127.0.0.1:" + port() + "/simple/";
    }

    public List<String> output() {
        return List.copyOf(lines);
    }

    /** The JVM's process id, for what only the operating system can tell (open file descriptors, jcmd, prlimit). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, then wait for the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no cleanup, like a power cut for the process. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
