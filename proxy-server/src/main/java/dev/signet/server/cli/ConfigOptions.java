package dev.signet.server.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The configuration flags shared by {@code serve} and {@code check-config}: the top layer over file and environment. */
final class ConfigOptions {

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

    @Option(names = "--admin-listen", paramLabel = "HOST:PORT",
            description = "Admin listener: probes, metrics, purge (default 127.0.0.1:9901).")
    String adminListen;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Artifact cache directory (default ./signet-cache).")
    String cacheDir;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any setting by its config key, e.g. --set index-ttl=5m.")
    Map<String, String> settings;

    Map<String, Object> overrides() {
        Map<String, Object> o = new LinkedHashMap<>();
        if (settings != null) {
            o.putAll(settings);
        }
        // A flag that was not given must not erase the same setting given with --set.
        putIfGiven(o, "upstream", upstream);
        putIfGiven(o, "trusted-keys", trustedKeys);
        putIfGiven(o, "revoked-keys", revokedKeys);
        putIfGiven(o, "listen", listen);
        putIfGiven(o, "admin-listen", adminListen);
        putIfGiven(o, "cache-dir", cacheDir);
        return o;
    }

    private static void putIfGiven(Map<String, Object> overrides, String key, Object flag) {
        if (flag != null) {
            overrides.put(key, flag);
        }
    }
}
