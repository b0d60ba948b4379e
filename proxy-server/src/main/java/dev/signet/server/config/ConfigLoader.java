package dev.signet.server.config;

import dev.signet.server.upstream.UpstreamTimeouts;
import dev.signet.sig.KeyId;
import dev.signet.sig.TrustedKey;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the effective configuration from three layers, each overriding the one before: the YAML file, then
 * {@code SIGNET_*} environment variables, then command-line flags. Every key is documented in
 * {@code config/signet.yaml}; unknown keys are errors; all errors are collected and reported at once.
 *
 * <p>Keys are dotted paths ({@code upstream-timeouts.connect}); the environment variable of a key is {@code SIGNET_}
 * followed by the key in upper case with {@code -} and {@code .} turned into {@code _}
 * ({@code SIGNET_UPSTREAM_TIMEOUTS_CONNECT}). List-valued keys take comma-separated values from the environment.
 */
public final class ConfigLoader {

    /** Every setting with its default ({@code null}: required). Order is the order of {@code check-config}'s output. */
    static final Map<String, String> DEFAULTS = defaults();

    static final List<String> LIST_KEYS = java.util.stream.Stream.concat(java.util.stream.Stream.of("trusted-keys", "revoked-keys",
            "page-keys", "access.allow-networks", "access.users", OriginSection.ALLOWED_FILE_HOSTS, ProvenanceSection.PUBLISHERS), PolicySection.LISTS.stream()).toList();

    /**
     * {@code SIGNET_*} variables that are not settings: read by logback ({@code SIGNET_LOG_LEVEL},
     * {@code SIGNET_ACCESS_LOG_LEVEL}) and by {@code signet health} ({@code SIGNET_HEALTH_URL}). Any other unknown
     * {@code SIGNET_*} variable is an error.
     */
    static final List<String> NON_SETTING_VARIABLES =
            List.of("SIGNET_LOG_LEVEL", "SIGNET_ACCESS_LOG_LEVEL", "SIGNET_HEALTH_URL", OriginSection.KEY_VARIABLE);

    private final List<String> errors = new ArrayList<>();
    /** Every value given by any layer, after overriding; defaults are not in it. */
    private final Map<String, Object> merged = new LinkedHashMap<>();
    /** The process environment, for settings that read a secret from it (origin.key's variable). */
    private Map<String, String> env = Map.of();

    private ConfigLoader() {
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("listen", "127.0.0.1:8080");
        d.put("upstream", null);
        d.put("trusted-keys", null);
        d.put("revoked-keys", "");
        d.put("require-file-name", "true");
        d.put("signature-url", "{url}.minisig");
        d.put("cache-dir", "./signet-cache");
        d.put("max-size", "10GiB");
        d.put("min-free", "1GiB");
        d.put("memory-cache-size", "64MiB");
        d.put("memory-cache-max-object", "1MiB");
        d.put("verify-on-serve", "identity");
        d.put("scrub-interval", "off");
        d.put("scrub-rate", "32MiB");
        d.put("index-ttl", "10m");
        d.put("negative-ttl", "1m");
        d.put("max-stale", "1d");
        d.put("offline", "false");
        d.put("max-page-size", "64MiB");
        PagesSettings.addDefaults(d);
        d.put("upstream-timeouts.connect", "5s");
        d.put("upstream-timeouts.first-byte", "30s");
        d.put("upstream-timeouts.idle", "30s");
        d.put("upstream-timeouts.total", "30m");
        d.put("client-idle-timeout", "60s");
        d.put("fill-redirect-after", "10s");
        d.put("worker-threads", "0");
        d.put("io-threads", "0");
        // Several upstreams (see UpstreamsSection); the single-upstream settings above work unchanged without them.
        d.put("upstream-name", "primary");
        d.put("upstream-token", "");
        d.put("extra-upstreams", "");
        d.put("pins", "");
        OperationsSettings.addDefaults(d);
        SignedPagesSection.addDefaults(d);
        RequestHeadSection.addDefaults(d);
        OriginSection.addDefaults(d);
        PolicySection.addDefaults(d);
        SharedStoreSection.addDefaults(d);
        return d;
    }

    public static String envName(String key) {
        return "SIGNET_" + key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    /**
     * @param file      YAML file, or {@code null} for none
     * @param env       the process environment (only {@code SIGNET_*} entries are read)
     * @param overrides command-line values by key: a {@code String}, or a {@code List<String>} for list keys
     */
    public static SignetConfig load(Path file, Map<String, String> env, Map<String, Object> overrides) throws ConfigException {
        return new ConfigLoader().build(file, env, overrides);
    }

    /**
     * The effective configuration as YAML, every setting with its value (given or default), secrets redacted: what
     * {@code signet check-config} prints. Fails like {@link #load} when the configuration is invalid.
     */
    public static String describe(Path file, Map<String, String> env, Map<String, Object> overrides) throws ConfigException {
        return loadDescribed(file, env, overrides).description();
    }

    /** A configuration with its {@link #describe description}. */
    public record Loaded(SignetConfig config, String description) {
    }

    /**
     * {@link #load} and {@link #describe} from one reading: {@code serve} and {@code check-config} need both, and
     * reading twice decrypted an encrypted origin key twice (scrypt, 64 MiB and a second or so each time).
     */
    public static Loaded loadDescribed(Path file, Map<String, String> env, Map<String, Object> overrides)
            throws ConfigException {
        ConfigLoader loader = new ConfigLoader();
        SignetConfig config = loader.build(file, env, overrides);
        return new Loaded(config, EffectiveConfig.render(DEFAULTS, loader.merged));
    }

    /**
     * Reads and parses every trusted key (and revoked id) now, so a malformed key or an unreadable key file is reported
     * with the other errors, by {@code check-config} too, instead of only when the server starts.
     */
    private void checkKeys(String where, List<TrustedKeyConfig> keys, List<String> revoked, Boolean requireFileName) {
        if (keys == null) {
            return;
        }
        try {
            KeyringFactory.build(keys, revoked, !Boolean.FALSE.equals(requireFileName));
        } catch (ConfigException e) {
            e.errors().forEach(error -> errors.add(where + error));
        } catch (IllegalArgumentException e) {
            errors.add(where + "trusted-keys: " + e.getMessage());
        }
    }

    private SignetConfig build(Path file, Map<String, String> env, Map<String, Object> overrides) throws ConfigException {
        Map<String, Object> values = merged;
        this.env = env;
        ConfigSources sources = new ConfigSources(DEFAULTS, errors);
        boolean fileUsable = file == null || sources.readYaml(file, values);
        sources.readEnv(env, values, NON_SETTING_VARIABLES);
        overrides.forEach((key, value) -> {
            if (!DEFAULTS.containsKey(key)) {
                errors.add("unknown setting from the command line: " + key + (sources.isSection(key)
                        ? " (a section: set " + key + ".SETTING, one of " + sources.sectionSettings(key) + ")"
                        : Suggestions.didYouMean(key, DEFAULTS.keySet())));
            } else if (value != null && !(value instanceof List<?> l && l.isEmpty())) {
                sources.overridden(key);
                values.put(key, value);
            }
        });
        if (!fileUsable) {
            // Validating without the file would report every setting it gives as missing.
            throw new ConfigException(errors);
        }
        SignetConfig config = validate(values);
        if (!errors.isEmpty()) {
            throw new ConfigException(errors, sources.located(errors));
        }
        return config;
    }

    void error(String message) {
        errors.add(message);
    }

    int errorCount() {
        return errors.size();
    }

    static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    private SignetConfig validate(Map<String, Object> values) {
        InetSocketAddress listen = parse(values, "listen", ConfigLoader::hostPort);
        URI upstream = parse(values, "upstream", ConfigLoader::httpUrl);
        int errorsBeforeKeys = errors.size();
        OriginSection originSection = new OriginSection(this, values, env);
        // A signing origin checks sha256 hashes and signs; it verifies no signatures, so it needs no trusted keys.
        boolean origin = originSection.role() == OriginConfig.Role.ORIGIN;
        List<TrustedKeyConfig> keys = origin && values.get("trusted-keys") == null ? List.of()
                : trustedKeys(values.get("trusted-keys"));
        // Keys are parsed below only when their list is well formed: otherwise the entries are not what was meant.
        boolean keysWellFormed = errors.size() == errorsBeforeKeys;
        List<String> revoked = revokedKeys(values.get("revoked-keys"));
        Boolean requireFileName = parse(values, "require-file-name", ConfigLoader::bool);
        String signatureUrl = parse(values, "signature-url", ConfigLoader::signatureTemplate);
        Path cacheDir = parse(values, "cache-dir", Path::of);
        Long maxSize = parse(values, "max-size", ConfigLoader::positiveSize);
        Long minFree = parse(values, "min-free", Units::parseSize);
        Long memorySize = parse(values, "memory-cache-size", Units::parseSize);
        Long memoryMaxObject = parse(values, "memory-cache-max-object", ConfigLoader::memoryObjectSize);
        Boolean paranoid = parse(values, "verify-on-serve", ConfigLoader::verifyOnServe);
        Duration scrubInterval = parse(values, "scrub-interval", ConfigLoader::optionalDuration);
        Long scrubRate = parse(values, "scrub-rate", ConfigLoader::positiveSize);
        Duration ttl = parse(values, "index-ttl", Units::parseDuration);
        Duration negativeTtl = parse(values, "negative-ttl", Units::parseDuration);
        Duration maxStale = parse(values, "max-stale", Units::parseDuration);
        Boolean offline = parse(values, "offline", ConfigLoader::bool);
        Long maxPage = parse(values, "max-page-size", ConfigLoader::pageSize);
        Duration connect = parse(values, "upstream-timeouts.connect", ConfigLoader::positiveDuration);
        Duration firstByte = parse(values, "upstream-timeouts.first-byte", ConfigLoader::positiveDuration);
        Duration idle = parse(values, "upstream-timeouts.idle", ConfigLoader::positiveDuration);
        Duration total = parse(values, "upstream-timeouts.total", ConfigLoader::positiveDuration);
        Duration clientIdle = parse(values, "client-idle-timeout", ConfigLoader::wholeSeconds);
        Duration fillRedirectAfter = parse(values, "fill-redirect-after", ConfigLoader::fillRedirectAfter);
        Integer workers = parse(values, "worker-threads", ConfigLoader::threads);
        Integer io = parse(values, "io-threads", ConfigLoader::threads);
        UpstreamsConfig upstreams = new UpstreamsSection(errors, this::trustedKey, revoked).read(values, this);
        if (upstream != null && upstream.getRawUserInfo() != null && !upstreams.primaryToken().isEmpty()) {
            errors.add("upstream-token: give either user:pass@ in upstream or upstream-token, not both");
        }
        OperationsConfig operations = new OperationsSettings(this, values).read();
        RequestHeadLimits requestHead = new RequestHeadSection(this, values).read();
        PagesConfig pages = new PagesSettings(this, values).read();
        OriginConfig originConfig = originSection.read(upstream);
        PolicyConfig policy = new PolicySection(this, values).read();
        SharedStoreConfig sharedStore = new SharedStoreSection(this, values).read();
        if (keysWellFormed) {
            checkKeys("", keys, revoked == null ? List.of() : revoked, requireFileName);
        }
        for (ExtraUpstreamConfig extra : upstreams.extras()) {
            checkKeys("extra-upstreams " + extra.name() + ": ", extra.trustedKeys(), List.of(), requireFileName);
        }
        if (!errors.isEmpty()) {
            return null;
        }
        return new SignetConfig(listen, upstream, keys, revoked, requireFileName, signatureUrl, cacheDir,
                new CacheLimits(maxSize, minFree, memorySize, memoryMaxObject, paranoid, scrubInterval, scrubRate), ttl,
                negativeTtl, maxStale, offline, maxPage,
                new UpstreamTimeouts(connect, firstByte, idle, total), clientIdle, workers, io, upstreams, operations,
                requestHead, pages, fillRedirectAfter, originConfig, policy, sharedStore);
    }

    <T> T parse(Map<String, Object> values, String key, Function<String, T> parser) {
        Object raw = values.containsKey(key) ? values.get(key) : DEFAULTS.get(key);
        if (raw == null) {
            errors.add(key + ": required (set it in the config file, " + envName(key) + " or the command line)");
            return null;
        }
        if (raw instanceof Map<?, ?> || raw instanceof List<?>) {
            errors.add(key + ": expected a single value, got " + (raw instanceof Map ? "a mapping" : "a list"));
            return null;
        }
        try {
            return parser.apply(raw.toString().trim());
        } catch (RuntimeException e) {
            errors.add(key + ": " + e.getMessage());
            return null;
        }
    }

    private List<String> revokedKeys(Object raw) {
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        if (raw instanceof Map<?, ?>) {
            errors.add("revoked-keys: expected a list of key ids, got a mapping");
            return out;
        }
        List<?> items = raw instanceof List<?> list ? list : splitList(raw.toString());
        for (Object item : items) {
            String id = String.valueOf(item).trim();
            // Checked here as well as when the keyring is built, so that a typo is reported with every other error.
            try {
                KeyId.parseHex(id);
                out.add(id);
            } catch (IllegalArgumentException e) {
                errors.add("revoked-keys: " + e.getMessage());
            }
        }
        return out;
    }

    private List<TrustedKeyConfig> trustedKeys(Object raw) {
        List<TrustedKeyConfig> keys = new ArrayList<>();
        if (raw == null) {
            errors.add("trusted-keys: at least one trusted key is required (a minisign public key RW... or @path/to/key.pub)");
            return keys;
        }
        if (raw instanceof Map<?, ?>) {
            errors.add("trusted-keys: expected a list of keys (write '- key: ...' for a key with options), got a mapping");
            return keys;
        }
        List<?> items = raw instanceof List<?> list ? list : splitList(raw.toString());
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            String where = "trusted-keys[" + i + "]";
            if (item instanceof Map<?, ?> map) {
                keys.add(trustedKey(map, where));
            } else if (item != null && !item.toString().isBlank()) {
                keys.add(TrustedKeyConfig.of(item.toString().trim()));
            } else {
                errors.add(where + ": empty key");
            }
        }
        if (keys.isEmpty() && errors.stream().noneMatch(e -> e.startsWith("trusted-keys"))) {
            errors.add("trusted-keys: at least one trusted key is required");
        }
        return keys;
    }

    TrustedKeyConfig trustedKey(Map<?, ?> map, String where) {
        for (Object k : map.keySet()) {
            if (!List.of("key", "allow-legacy", "legacy-max-size", "projects").contains(String.valueOf(k))) {
                errors.add(where + ": unknown setting '" + k + "' (expected key, allow-legacy, legacy-max-size, projects)");
            }
        }
        Object key = map.get("key");
        if (key == null || key.toString().isBlank()) {
            errors.add(where + ".key: required");
        }
        boolean legacy = false;
        long max = TrustedKeyConfig.DEFAULT_LEGACY_MAX_SIZE;
        try {
            if (map.containsKey("allow-legacy")) {
                legacy = bool(String.valueOf(map.get("allow-legacy")));
            }
        } catch (RuntimeException e) {
            errors.add(where + ".allow-legacy: " + e.getMessage());
        }
        try {
            if (map.containsKey("legacy-max-size")) {
                max = Units.parseSize(String.valueOf(map.get("legacy-max-size")));
                if (max > TrustedKey.MAX_LEGACY_BYTES) {
                    // Legacy verification holds the whole file in memory; minisign itself stops at 1 GiB.
                    throw new IllegalArgumentException("must be at most 1GiB, got " + map.get("legacy-max-size"));
                }
            }
        } catch (RuntimeException e) {
            errors.add(where + ".legacy-max-size: " + e.getMessage());
        }
        List<String> projects = new ArrayList<>();
        Object p = map.get("projects");
        if (p instanceof List<?> list) {
            list.forEach(item -> projects.add(String.valueOf(item)));
        } else if (p != null) {
            projects.addAll(splitList(p.toString()));
        }
        return new TrustedKeyConfig(key == null ? "" : key.toString().trim(), legacy, max, projects);
    }

    static InetSocketAddress hostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number in '" + text + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range in '" + text + "'");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    static URI httpUrl(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL: " + text);
        }
        if (uri.getScheme() == null || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("expected an http:// or https:// URL of a simple index, got '" + text + "'");
        }
        return uri;
    }

    /** A memory copy is one buffer, so its size must fit in an int; 1GiB is far past any sensible setting anyway. */
    static long memoryObjectSize(String text) {
        long size = positiveSize(text);
        if (size > 1L << 30) {
            throw new IllegalArgumentException("must be at most 1GiB, got " + text);
        }
        return size;
    }

    static long positiveSize(String text) {
        long size = Units.parseSize(text);
        if (size <= 0) {
            throw new IllegalArgumentException("must be greater than zero");
        }
        return size;
    }

    /** {@code identity} (check file identity, re-verify on change) or {@code paranoid} (re-verify every serve). */
    static boolean verifyOnServe(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "identity" -> false;
            case "paranoid" -> true;
            default -> throw new IllegalArgumentException("expected identity or paranoid, got '" + text + "'");
        };
    }

    /** A duration, or {@code off} (returned as zero). */
    static Duration optionalDuration(String text) {
        return text.equalsIgnoreCase("off") ? Duration.ZERO : positiveDuration(text);
    }

    static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got '" + text + "'");
        };
    }

    static String signatureTemplate(String text) {
        if (!text.contains("{url}") && !text.contains("{filename}")) {
            throw new IllegalArgumentException("must contain {url} or {filename}, got '" + text + "'");
        }
        return text;
    }

    static Duration positiveDuration(String text) {
        Duration d = Units.parseDuration(text);
        if (d.isZero()) {
            throw new IllegalArgumentException("must be greater than zero");
        }
        return d;
    }

    /** The client idle timeout counts whole seconds, where 0 would switch it off: refuse anything below 1s. */
    static Duration wholeSeconds(String text) {
        Duration d = Units.parseDuration(text);
        if (d.toSeconds() < 1) {
            throw new IllegalArgumentException("must be at least 1s, got " + text);
        }
        return d;
    }

    /** "off" or 0 turns the redirects off; otherwise 1s to 10m (a client's read timeout must outlast it). */
    static Duration fillRedirectAfter(String text) {
        Duration d = text.equalsIgnoreCase("off") ? Duration.ZERO : Units.parseDuration(text);
        if (!d.isZero() && (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofMinutes(10)) > 0)) {
            throw new IllegalArgumentException("expected off, 0s, or 1s to 10m, got " + text);
        }
        return d;
    }

    static long pageSize(String text) {
        long size = Units.parseSize(text);
        if (size < 1024 || size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("must be between 1KiB and 2GiB, got " + text);
        }
        return size;
    }

    static int threads(String text) {
        return wholeNumber(text, 0, 1024, "0 (automatic) and 1024");
    }

    /** The one parser of whole-number settings: {@code min..max}, described as {@code range} in the error. */
    static int wholeNumber(String text, int min, int max, String range) {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number, got '" + text + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("must be between " + range + ", got " + n);
        }
        return n;
    }
}
