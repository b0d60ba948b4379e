package dev.signet.server.config;

import dev.signet.server.access.BcryptUser;
import dev.signet.server.access.Cidr;
import dev.signet.server.config.OperationsConfig.AccessLogFormat;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The operational settings (admin listener, access log, shutdown, HTTPS, upstream proxy and trust, access control):
 * their defaults and their validation, kept apart from the proxy's core settings in {@link ConfigLoader}.
 */
final class OperationsSettings {

    /** Admin tokens are compared on every admin call; a short one is guessable. */
    static final int MIN_TOKEN_LENGTH = 16;

    private final ConfigLoader loader;
    private final Map<String, Object> values;

    OperationsSettings(ConfigLoader loader, Map<String, Object> values) {
        this.loader = loader;
        this.values = values;
    }

    static void addDefaults(Map<String, String> d) {
        d.put("admin-listen", "127.0.0.1:9901");
        d.put("admin-token", "");
        d.put("admin-open-probes", "true");
        d.put("access-log-format", "text");
        d.put("shutdown.drain-delay", "5s");
        d.put("shutdown.drain-timeout", "30s");
        d.put("https.listen", "");
        d.put("https.certificate", "");
        d.put("https.private-key", "");
        d.put("upstream-ca-bundle", "");
        d.put("upstream-proxy", "");
        d.put("access.allow-networks", "");
        d.put("access.users", "");
        d.put("access.password-check-threads", "0");
        d.put("access.password-check-queue", "64");
        d.put("access.credential-cache-ttl", "5m");
    }

    OperationsConfig read() {
        InetSocketAddress adminListen = parse("admin-listen", ConfigLoader::hostPort);
        String token = parse("admin-token", OperationsSettings::token);
        Boolean openProbes = parse("admin-open-probes", ConfigLoader::bool);
        AccessLogFormat format = parse("access-log-format", OperationsSettings::format);
        Duration drainDelay = parse("shutdown.drain-delay", Units::parseDuration);
        Duration drainTimeout = parse("shutdown.drain-timeout", Units::parseDuration);
        InetSocketAddress httpsListen = parse("https.listen", optional(ConfigLoader::hostPort));
        Path certificate = parse("https.certificate", optional(OperationsSettings::readableFile));
        Path privateKey = parse("https.private-key", optional(OperationsSettings::readableFile));
        Path caBundle = parse("upstream-ca-bundle", optional(OperationsSettings::readableFile));
        URI proxy = parse("upstream-proxy", optional(OperationsSettings::proxyUrl));
        List<Cidr> networks = list("access.allow-networks", Cidr::parse);
        List<BcryptUser> users = list("access.users", BcryptUser::parse);
        Integer passwordThreads = parse("access.password-check-threads", ConfigLoader::threads);
        Integer passwordQueue = parse("access.password-check-queue", OperationsSettings::queueSize);
        Duration credentialTtl = parse("access.credential-cache-ttl", Units::parseDuration);
        boolean httpsFilesGiven = certificate != null && privateKey != null;
        if (httpsListen != null && !httpsFilesGiven && !missing("https.certificate") && !missing("https.private-key")) {
            loader.error("https.listen: needs https.certificate and https.private-key (PEM files)");
        } else if (httpsListen == null && (certificate != null || privateKey != null)) {
            loader.error("https.listen: required when https.certificate or https.private-key is set");
        }
        return new OperationsConfig(new OperationsConfig.Admin(adminListen, token, Boolean.TRUE.equals(openProbes)),
                format, new OperationsConfig.Shutdown(drainDelay, drainTimeout),
                new OperationsConfig.Https(httpsListen, certificate, privateKey),
                new OperationsConfig.Upstream(caBundle, proxy), new OperationsConfig.Access(networks, users,
                        passwordThreads == null ? 0 : passwordThreads, passwordQueue == null ? 1 : passwordQueue,
                        credentialTtl));
    }

    /** Whether a file setting was given but refused (its own error is already reported). */
    private boolean missing(String key) {
        Object raw = values.get(key);
        return raw != null && !raw.toString().isBlank();
    }

    private <T> T parse(String key, Function<String, T> parser) {
        return loader.parse(values, key, parser);
    }

    private <T> List<T> list(String key, Function<String, T> parser) {
        Object raw = values.get(key);
        List<T> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        if (raw instanceof Map<?, ?>) {
            loader.error(key + ": expected a list, got a mapping");
            return out;
        }
        List<?> items = raw instanceof List<?> l ? l : ConfigLoader.splitList(raw.toString());
        for (Object item : items) {
            try {
                out.add(parser.apply(String.valueOf(item).trim()));
            } catch (IllegalArgumentException e) {
                loader.error(key + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** Empty means "not configured", which becomes {@code null}. */
    private static <T> Function<String, T> optional(Function<String, T> parser) {
        return text -> text.isEmpty() ? null : parser.apply(text);
    }

    static String token(String text) {
        if (text.isEmpty()) {
            return null;
        }
        if (text.length() < MIN_TOKEN_LENGTH || !text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            // Never echo the value: it is a secret even when it is a bad one.
            throw new IllegalArgumentException("must be at least " + MIN_TOKEN_LENGTH
                    + " printable ASCII characters without spaces (e.g. openssl rand -hex 32)");
        }
        return text;
    }

    static int queueSize(String text) {
        return ConfigLoader.wholeNumber(text, 1, 100_000, "1 and 100000");
    }

    static AccessLogFormat format(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "text" -> AccessLogFormat.TEXT;
            case "json" -> AccessLogFormat.JSON;
            default -> throw new IllegalArgumentException("expected text or json, got '" + text + "'");
        };
    }

    static Path readableFile(String text) {
        Path path = Path.of(text);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException("not a readable file: " + text);
        }
        return path;
    }

    static URI proxyUrl(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL (expected http://HOST:PORT)");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() <= 0
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            throw new IllegalArgumentException("expected http://[USER:PASSWORD@]HOST:PORT, got '" + EffectiveConfig.redactUrl(text) + "'");
        }
        return uri;
    }
}
