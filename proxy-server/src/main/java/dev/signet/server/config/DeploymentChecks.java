package dev.signet.server.config;

import dev.signet.sig.MinisignPublicKey;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@code check-config} refuses beyond a well-formed configuration: setups that load but cannot work. The example
 * upstream and key of {@code config/signet.yaml} left in place, a key both trusted and revoked (every file it signed
 * would be refused), a cache directory that cannot be created or written, and a log level logback does not know
 * (it would silently fall back to DEBUG).
 *
 * <p>{@code serve} does not run these: a revoked key stays configured on purpose while it is being rotated out, and the
 * cache directory is created (or its failure named) at start-up.
 */
public final class DeploymentChecks {

    /** The key shipped in {@code config/signet.yaml} as an example; a test keeps the two the same. */
    static final String EXAMPLE_KEY = "RWToHZEzNE8PLs53lNYF/LLnyAhz54PlV5wlyW0Zas6+nfEn5wTBXL05";

    /** Logback's level names, case-insensitive. */
    private static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF", "ALL");
    private static final List<String> LOG_LEVEL_VARIABLES = List.of("SIGNET_LOG_LEVEL", "SIGNET_ACCESS_LOG_LEVEL");

    private DeploymentChecks() {
    }

    /** Every problem found, each one line naming the setting; empty when the setup can work. */
    public static List<String> problems(SignetConfig config, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        exampleHost("upstream", config.upstream(), problems);
        for (ExtraUpstreamConfig extra : config.upstreams().extras()) {
            exampleHost("extra-upstreams " + extra.name() + ": url", extra.url(), problems);
        }
        keys("trusted-keys", config.trustedKeys(), config.revokedKeys(), problems);
        for (ExtraUpstreamConfig extra : config.upstreams().extras()) {
            keys("extra-upstreams " + extra.name() + ": trusted-keys", extra.trustedKeys(), config.revokedKeys(), problems);
        }
        cacheDir(config.cacheDir(), problems);
        for (String variable : LOG_LEVEL_VARIABLES) {
            String level = env.get(variable);
            if (level != null && !LOG_LEVELS.contains(level.strip().toUpperCase(Locale.ROOT))) {
                problems.add(variable + ": unknown log level '" + level + "' (expected one of TRACE, DEBUG, INFO, WARN, "
                        + "ERROR, OFF)");
            }
        }
        return problems;
    }

    /** The reserved example domains (RFC 2606): the shipped config's {@code index.example.org} among them. */
    private static void exampleHost(String setting, URI url, List<String> problems) {
        String host = url == null || url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        for (String example : List.of("example.org", "example.com", "example.net", "example")) {
            if (host.equals(example) || host.endsWith("." + example)) {
                problems.add(setting + ": " + host + " is the example host of config/signet.yaml; set your index's URL");
                return;
            }
        }
    }

    private static void keys(String setting, List<TrustedKeyConfig> keys, List<String> revoked, List<String> problems) {
        Set<String> revokedIds = new LinkedHashSet<>();
        revoked.forEach(id -> revokedIds.add(id.toUpperCase(Locale.ROOT)));
        for (int i = 0; i < keys.size(); i++) {
            MinisignPublicKey key;
            try {
                key = KeyringFactory.readKey(keys.get(i).key());
            } catch (Exception e) {
                continue; // already reported by the loader
            }
            String where = setting + "[" + i + "]";
            if (key.encoded().equals(EXAMPLE_KEY)) {
                problems.add(where + ": the example key of config/signet.yaml (id " + key.keyId()
                        + "); trust your index's public key instead");
            }
            if (revokedIds.contains(key.keyId().toString().toUpperCase(Locale.ROOT))) {
                problems.add(where + ": key " + key.keyId() + " is also in revoked-keys, so every file it signed is "
                        + "refused; remove it from one of the two");
            }
        }
    }

    /** The directory must be writable, or creatable: its nearest existing ancestor a writable directory. */
    private static void cacheDir(Path dir, List<String> problems) {
        Path absolute = dir.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            problems.add("cache-dir: " + dir + " cannot be created: no existing parent folder");
        } else if (!Files.isDirectory(existing)) {
            problems.add("cache-dir: " + dir + (existing.equals(absolute) ? " is not a folder"
                    : " cannot be created: " + existing + " is not a folder"));
        } else if (!Files.isWritable(existing)) {
            problems.add("cache-dir: " + dir + (existing.equals(absolute) ? " is not writable"
                    : " cannot be created: " + existing + " is not writable") + " by this user");
        }
    }
}
