package dev.signet.server.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Who may use the public listeners: clients from the allowed networks (all when none are listed) that present valid
 * basic-auth credentials (none needed when no users are listed). bcrypt is slow on purpose, so checks run on the
 * worker pool, and a credential that passed is remembered (by its SHA-256, never in clear) for a while.
 */
public final class AccessPolicy {

    private final List<Cidr> networks;
    private final Map<String, String> hashes = new LinkedHashMap<>();
    private final Executor workers;
    private final Cache<String, Boolean> accepted = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(5)).maximumSize(1_000).build();

    public AccessPolicy(List<Cidr> networks, List<BcryptUser> users, Executor workers) {
        this.networks = List.copyOf(networks);
        users.forEach(u -> hashes.put(u.name(), u.hash()));
        this.workers = workers;
    }

    public boolean allows(InetAddress client) {
        return networks.isEmpty() || networks.stream().anyMatch(n -> n.contains(client));
    }

    public boolean needsCredentials() {
        return !hashes.isEmpty();
    }

    /** Whether an {@code Authorization} header value (may be {@code null}) names a user with the right password. */
    public CompletableFuture<Boolean> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return CompletableFuture.completedFuture(false);
        }
        String fingerprint = sha256(authorization);
        if (accepted.getIfPresent(fingerprint) != null) {
            return CompletableFuture.completedFuture(true);
        }
        return CompletableFuture.supplyAsync(() -> {
            boolean ok = check(authorization.substring(6).trim());
            if (ok) {
                accepted.put(fingerprint, true);
            }
            return ok;
        }, workers);
    }

    private boolean check(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String hash = hashes.get(decoded.substring(0, colon));
        if (hash == null) {
            return false;
        }
        char[] password = decoded.substring(colon + 1).toCharArray();
        try {
            return OpenBSDBCrypt.checkPassword(hash, password);
        } catch (IllegalArgumentException e) {
            // BC refuses passwords over 72 bytes and similar: a refusal, not a server error.
            return false;
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
