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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code signet demo}: a signed demo index (generated wheels, a throw-away key) on a loopback port, and a real Signet
 * in front of it, configured through the same loader and started by the same code as {@code signet serve}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a small signed demo index and Signet in front of it, in one process.",
                "Prints the pip command to try. Stop with Ctrl-C."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            description = "Where Signet listens (default ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--dir", paramLabel = "DIR", description = "Working directory for the demo index and cache (default: a new temp dir).")
    Path dir;

    @Override
    public Integer call() throws IOException {
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("signet-demo-");
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        StaticIndex index = StaticIndex.build(work.resolve("index"), DemoProjects.demoWheels(),
                new MinisignArtifactSigner(key.secretKey()), false);
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
                Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "signet-shutdown"));
                System.out.println();
                System.out.println("Signet demo is running.");
                System.out.println("  demo index (signed, key " + key.publicKey().keyId() + "): " + upstream.simpleUri());
                System.out.println("  signet:                " + server.simpleUrl());
                System.out.println("  files:                 " + work);
                System.out.println();
                System.out.println("Try:");
                System.out.println("  python3 -m pip install --isolated --no-cache-dir --index-url " + server.simpleUrl()
                        + " --target /tmp/signet-demo-target signet-demo-app");
                System.out.println();
                System.out.println("Stop with Ctrl-C.");
                System.out.flush();
                stopped.await();
            }
        } catch (ConfigException e) {
            return Errors.report("invalid demo configuration", e.errors());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
