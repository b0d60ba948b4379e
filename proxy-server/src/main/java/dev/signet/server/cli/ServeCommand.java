package dev.signet.server.cli;

import dev.signet.events.SignetListener;
import dev.signet.server.SignetServer;
import dev.signet.server.config.ConfigException;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.config.SignetConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code signet serve}: run the proxy until SIGTERM/SIGINT. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the verifying proxy.",
                "Settings come from --config (YAML), then SIGNET_* environment variables, then these flags."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (see config/signet.yaml).")
    Path config;

    @Option(names = "--upstream", paramLabel = "URL", description = "Upstream simple index, e.g. https://index.example/simple/")
    String upstream;

    @Option(names = "--trusted-key", paramLabel = "KEY",
            description = "Trusted minisign public key: RW... or @path/to/key.pub. Repeat for several keys (rotation).")
    List<String> trustedKeys;

    @Option(names = "--revoked-key", paramLabel = "KEYID", description = "Key id (16 hex digits) to refuse. Repeatable.")
    List<String> revokedKeys;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Public listener (default 127.0.0.1:8080).")
    String listen;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Artifact cache directory (default ./signet-cache).")
    String cacheDir;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any setting by its config key, e.g. --set index-ttl=5m.")
    Map<String, String> settings;

    @Override
    public Integer call() {
        SignetConfig effective;
        try {
            effective = ConfigLoader.load(config, System.getenv(), overrides());
        } catch (ConfigException e) {
            return Errors.report("invalid configuration", e.errors());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (SignetServer server = SignetServer.start(effective, SignetListener.NONE)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "signet-shutdown"));
            stopped.await();
            return 0;
        } catch (ConfigException e) {
            return Errors.report("invalid configuration", e.errors());
        } catch (IOException e) {
            return Errors.report("cannot start", List.of(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private Map<String, Object> overrides() {
        Map<String, Object> o = new LinkedHashMap<>();
        if (settings != null) {
            o.putAll(settings);
        }
        // A flag that was not given must not erase the same setting given with --set.
        putIfGiven(o, "upstream", upstream);
        putIfGiven(o, "trusted-keys", trustedKeys);
        putIfGiven(o, "revoked-keys", revokedKeys);
        putIfGiven(o, "listen", listen);
        putIfGiven(o, "cache-dir", cacheDir);
        return o;
    }

    private static void putIfGiven(Map<String, Object> overrides, String key, Object flag) {
        if (flag != null) {
            overrides.put(key, flag);
        }
    }
}
