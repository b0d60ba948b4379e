package dev.signet.server.cli;

import dev.signet.events.SignetListener;
import dev.signet.server.SignetServer;
import dev.signet.server.config.ConfigException;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.config.SignetConfig;
import dev.signet.server.demo.DemoProjects;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.StaticIndex;
import dev.signet.server.demo.StaticIndexServer;
import dev.signet.sig.MinisignKeyPair;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code signet demo}: a signed demo index (generated wheels, a throw-away key) on a loopback port, and a real Signet
 * in front of it, configured through the same loader and started by the same code as {@code signet serve}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a small signed demo index and Signet in front of it, in one process.",
                "Prints the pip command to try. Stop with Ctrl-C (or SIGTERM): exit 0, and the temp folder is removed."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            description = "Where Signet listens (default ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Empty or new folder for the demo index and cache, kept on exit (default: a temp folder, removed on exit).")
    Path dir;

    @Override
    public Integer call() {
        if (dir != null) {
            String unusable = unusableFolder(dir);
            if (unusable != null) {
                return Errors.fail("demo --dir " + dir + ": " + unusable);
            }
        }
        Path work;
        try {
            work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("signet-demo-");
        } catch (IOException e) {
            return Errors.cannot("create the demo folder", dir != null ? dir : "in " + System.getProperty("java.io.tmpdir"), e);
        }
        try {
            return run(work);
        } finally {
            if (dir == null) {
                deleteTree(work);
            }
        }
    }

    private int run(Path work) {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        StaticIndex index;
        try {
            index = StaticIndex.build(work.resolve("index"), DemoProjects.demoWheels(),
                    new MinisignArtifactSigner(key.secretKey()), false);
        } catch (IOException e) {
            return Errors.fail("cannot write the demo index in " + work + ": " + Errors.describe(e));
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        CountDownLatch stopped = new CountDownLatch(1);
        try (StaticIndexServer upstream = StaticIndexServer.start(index.root(), new InetSocketAddress("127.0.0.1", 0))) {
            settings.put("listen", listen);
            // A demo must not fail because something already uses the default admin port.
            settings.put("admin-listen", "127.0.0.1:0");
            settings.put("upstream", upstream.simpleUri().toString());
            settings.put("trusted-keys", List.of(key.publicKey().encoded()));
            settings.put("cache-dir", work.resolve("cache").toString());
            SignetConfig config = ConfigLoader.load(null, Map.of(), settings);
            try (SignetServer server = SignetServer.start(config, SignetListener.NONE)) {
                // Like serve: SIGTERM and Ctrl-C end the demo as a normal return (exit 0, temp folder removed),
                // not a JVM shutdown that halts midway with status 143.
                Signal.handle(new Signal("TERM"), signal -> stopped.countDown());
                Signal.handle(new Signal("INT"), signal -> stopped.countDown());
                System.out.println();
                System.out.println("Signet demo is running.");
                System.out.println("  demo index (signed, key " + key.publicKey().keyId() + "): " + upstream.simpleUri());
                System.out.println("  signet:                " + server.simpleUrl());
                System.out.println("  files:                 " + work + (dir == null ? " (removed on exit)" : ""));
                System.out.println();
                System.out.println("Try:");
                List<String> commands = InstallerCommands.pip(server.address(), work.resolve("target"), "signet-demo-app");
                System.out.println("  " + commands.get(0));
                if (commands.size() > 1) {
                    System.out.println("from another machine:");
                    System.out.println("  " + commands.get(1));
                }
                System.out.println();
                System.out.println("Stop with Ctrl-C.");
                System.out.flush();
                stopped.await();
            }
        } catch (ConfigException e) {
            return Errors.report("invalid demo configuration", e.located());
        } catch (IOException e) {
            return Errors.report("cannot start the demo", List.of(Errors.describe(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.println("Signet demo stopped.");
        return 0;
    }

    /** Why {@code folder} cannot hold a new demo, or {@code null} when it can (absent, or an empty folder). */
    private static String unusableFolder(Path folder) {
        if (!Files.exists(folder)) {
            return null;
        }
        if (!Files.isDirectory(folder)) {
            return "exists and is not a folder";
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isPresent()
                    ? "folder is not empty; give an empty or new folder, or leave out --dir for a temp folder" : null;
        } catch (IOException e) {
            return "cannot list it: " + Errors.describe(e);
        }
    }

    /** Best effort: a demo that cannot remove its temp folder says so, and still exits as it would have. */
    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("signet: could not remove the demo folder " + root + ": " + Errors.describe(e));
        }
    }
}
