package dev.signet.server.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Credentials that passed a password check recently, so a client that sends the same header on every request pays for
 * bcrypt once per TTL rather than per request. An entry is an HMAC-SHA256, under a key drawn at random when the cache
 * is made (it never leaves the process), of the user name, the password and the configured hash it was checked
 * against: the cache holds no password nor anything an offline guess could be tested against, and an entry stops
 * matching when that user's configured hash changes. Bounded in size and time.
 */
final class CredentialCache {

    static final int MAX_ENTRIES = 10_000;

    private final Cache<String, Boolean> accepted;
    private final SecretKeySpec key;

    CredentialCache(Duration ttl, Ticker ticker) {
        this.accepted = ttl.isZero() ? null : Caffeine.newBuilder().ticker(ticker).expireAfterWrite(ttl)
                .maximumSize(MAX_ENTRIES).build();
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    boolean contains(String user, String password, String configuredHash) {
        return accepted != null && accepted.getIfPresent(fingerprint(user, password, configuredHash)) != null;
    }

    void remember(String user, String password, String configuredHash) {
        if (accepted != null) {
            accepted.put(fingerprint(user, password, configuredHash), Boolean.TRUE);
        }
    }

    long size() {
        return accepted == null ? 0 : accepted.estimatedSize();
    }

    private String fingerprint(String user, String password, String configuredHash) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            // Lengths first: no two (user, password, hash) triples encode to the same input.
            String input = user.length() + ":" + user + password.length() + ":" + password + configuredHash;
            return HexFormat.of().formatHex(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
