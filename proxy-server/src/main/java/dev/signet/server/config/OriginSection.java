package dev.signet.server.config;

import dev.signet.sig.MinisignSecretKey;
import dev.signet.sig.SignatureFormatException;
import java.io.IOException;
import java.net.IDN;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code role} and the {@code origin.*} settings. The signing key is read, permission-checked and decrypted now,
 * so a missing, world-readable or undecryptable key is reported with every other error (by {@code check-config}
 * too), never printed: errors name the file or variable, not its content.
 */
final class OriginSection {

    static final String ROLE = "role";
    static final String KEY = "origin.key";
    static final String PASSWORD_FILE = "origin.key-password-file";
    static final String ALLOWED_FILE_HOSTS = "origin.allowed-file-hosts";
    static final String PAGE_EXPIRY = "origin.page-expiry";
    static final String REFRESH_BEFORE = "origin.page-refresh-before";
    static final String PAGE_MAX_AGE = "origin.page-max-age";
    /** The key's text in the environment instead of a file (a container secret); not a setting, never shown. */
    static final String KEY_VARIABLE = "SIGNET_ORIGIN_SECRET_KEY";
    /** A key file is refused when its group or others have any permission: a signing key is the origin's identity. */
    private static final Set<PosixFilePermission> NOT_OWNER = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final long MAX_KEY_FILE = 16 * 1024;

    private final ConfigLoader loader;
    private final Map<String, Object> values;
    private final Map<String, String> env;

    OriginSection(ConfigLoader loader, Map<String, Object> values, Map<String, String> env) {
        this.loader = loader;
        this.values = values;
        this.env = env;
    }

    static void addDefaults(Map<String, String> d) {
        d.put(ROLE, "edge");
        d.put(KEY, "");
        d.put(PASSWORD_FILE, "");
        d.put(ALLOWED_FILE_HOSTS, "");
        d.put(PAGE_EXPIRY, "1d");
        d.put(REFRESH_BEFORE, "6h");
        d.put(PAGE_MAX_AGE, "1m");
        ProvenanceSection.addDefaults(d);
    }

    /** {@code role} alone, read first: it decides whether trusted keys are required. */
    OriginConfig.Role role() {
        if (role == null) {
            OriginConfig.Role parsed = loader.parse(values, ROLE, OriginSection::parseRole);
            role = parsed == null ? OriginConfig.Role.EDGE : parsed;
        }
        return role;
    }

    private OriginConfig.Role role;

    OriginConfig read(URI upstream) {
        OriginConfig.Role role = role();
        List<String> hosts = hosts(values.get(ALLOWED_FILE_HOSTS));
        Duration expiry = loader.parse(values, PAGE_EXPIRY, ConfigLoader::positiveDuration);
        Duration refresh = loader.parse(values, REFRESH_BEFORE, ConfigLoader::positiveDuration);
        Duration maxAge = loader.parse(values, PAGE_MAX_AGE, Units::parseDuration);
        if (expiry != null && refresh != null && refresh.compareTo(expiry) >= 0) {
            loader.error(REFRESH_BEFORE + ": must be shorter than " + PAGE_EXPIRY + " (" + Units.formatDuration(expiry)
                    + "), or every page would be re-signed on every request");
            refresh = null;
        }
        if (expiry != null && maxAge != null && maxAge.compareTo(expiry) >= 0) {
            loader.error(PAGE_MAX_AGE + ": must be shorter than " + PAGE_EXPIRY
                    + " (caches would keep pages until they expire)");
            maxAge = null;
        }
        ProvenanceConfig provenance = new ProvenanceSection(loader, values).read();
        if (role != OriginConfig.Role.ORIGIN) {
            return OriginConfig.EDGE;
        }
        if (upstream != null && !"https".equalsIgnoreCase(upstream.getScheme())) {
            loader.error("upstream: role: origin needs an https:// upstream (the origin is where TLS is checked)");
        }
        String keyFile = text(KEY);
        String passwordFile = text(PASSWORD_FILE);
        String keyText = env.get(KEY_VARIABLE);
        MinisignSecretKey key = null;
        String source = null;
        if (!keyFile.isEmpty() && keyText != null) {
            loader.error(KEY + ": give either " + KEY + " or " + KEY_VARIABLE + ", not both");
        } else if (keyFile.isEmpty() && keyText == null) {
            loader.error(KEY + ": role: origin needs a signing key (" + KEY + ": a minisign secret key file, or its"
                    + " text in " + KEY_VARIABLE + ")");
        } else {
            source = keyFile.isEmpty() ? KEY_VARIABLE : keyFile;
            if (!keyFile.isEmpty()) {
                keyText = readPrivate(KEY, Path.of(keyFile));
            }
            char[] password = passwordFile.isEmpty() ? null : password(Path.of(passwordFile));
            if (keyText != null && (passwordFile.isEmpty() || password != null)) {
                key = parseKey(source, keyText, password, passwordFile);
            }
        }
        if (expiry == null || refresh == null || maxAge == null || key == null || provenance == null) {
            return null;
        }
        return new OriginConfig(role, key, source, hosts, expiry, refresh, maxAge, provenance);
    }

    private MinisignSecretKey parseKey(String source, String keyText, char[] password, String passwordFile) {
        try {
            if (password == null && MinisignSecretKey.isEncrypted(keyText)) {
                loader.error(KEY + ": the key in " + source + " is encrypted; set " + PASSWORD_FILE);
                return null;
            }
            return MinisignSecretKey.parse(keyText, password);
        } catch (SignatureFormatException e) {
            // The parser's messages describe the structure, never the key material.
            // With a password, name where it came from: a wrong password is the likely cause of a checksum mismatch.
            loader.error(KEY + ": cannot read the secret key in " + source + (password == null ? ""
                    : " with the password in " + PASSWORD_FILE + " " + passwordFile) + ": " + e.getMessage());
            return null;
        }
    }

    private char[] password(Path file) {
        String text = readPrivate(PASSWORD_FILE, file);
        if (text == null) {
            return null;
        }
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        return (line.endsWith("\r") ? line.substring(0, line.length() - 1) : line).toCharArray();
    }

    /** Reads a small secret file, refusing one that others may read (or a symlink to one). */
    private String readPrivate(String key, Path file) {
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
                if (mode.stream().anyMatch(NOT_OWNER::contains)) {
                    loader.error(key + ": " + file + " may be read or written by others (mode "
                            + PosixFilePermissions.toString(mode) + "); chmod 600 it");
                    return null;
                }
            }
            if (Files.size(file) > MAX_KEY_FILE) {
                loader.error(key + ": " + file + " is larger than a key file (" + MAX_KEY_FILE + " bytes)");
                return null;
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            loader.error(key + ": " + file + ": no such file");
        } catch (IOException e) {
            loader.error(key + ": cannot read " + file + ": " + e.getMessage());
        }
        return null;
    }

    private String text(String key) {
        Object raw = values.get(key);
        return raw == null ? "" : raw.toString().trim();
    }

    private List<String> hosts(Object raw) {
        List<String> out = new ArrayList<>();
        if (raw == null || (raw instanceof String s && s.isBlank())) {
            return out;
        }
        List<?> items = raw instanceof List<?> list ? list : ConfigLoader.splitList(raw.toString());
        for (Object item : items) {
            String host = String.valueOf(item).trim().toLowerCase(Locale.ROOT);
            if (host.isEmpty() || host.contains("/") || host.contains(":") || host.contains("@") || host.contains("*")) {
                loader.error(ALLOWED_FILE_HOSTS + ": '" + item + "' is not a host name (write files.example.org,"
                        + " without scheme, port, path or wildcard)");
                continue;
            }
            out.add(IDN.toASCII(host));
        }
        return out;
    }

    static OriginConfig.Role parseRole(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "edge" -> OriginConfig.Role.EDGE;
            case "origin" -> OriginConfig.Role.ORIGIN;
            default -> throw new IllegalArgumentException("expected edge or origin, got '" + text + "'");
        };
    }
}
