package dev.signet.server.access;

import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Who may use the public listeners: clients from the allowed networks (all when none are listed) that present valid
 * basic-auth credentials (none needed when no users are listed).
 *
 * <p>bcrypt is slow on purpose, so checks run on their own bounded {@link PasswordCheckPool}, never on the event loop
 * nor on the worker pool that fills and verifications use; a full pool refuses at once ({@link Verdict#BUSY}). A
 * credential that passed is remembered in a {@link CredentialCache} for a while, so authorised clients skip the pool.
 * An unknown user name costs the same bcrypt check as a known one (against a dummy hash of the highest configured
 * cost), so the answer's timing does not tell which user names exist.
 */
public final class AccessPolicy {

    /** The outcome of a credential check. */
    public enum Verdict { ACCEPTED, REFUSED, BUSY }

    private final List<Cidr> networks;
    private final Map<String, String> hashes = new LinkedHashMap<>();
    private final String dummyHash;
    private final PasswordCheckPool pool;
    private final PasswordHasher hasher;
    private final CredentialCache accepted;

    public AccessPolicy(List<Cidr> networks, List<BcryptUser> users, PasswordCheckPool pool, PasswordHasher hasher,
                        Duration credentialTtl, Ticker ticker) {
        this.networks = List.copyOf(networks);
        users.forEach(u -> hashes.put(u.name(), u.hash()));
        this.dummyHash = users.isEmpty() ? null : dummyHash(users.stream().mapToInt(AccessPolicy::cost).max().getAsInt());
        this.pool = pool;
        this.hasher = hasher;
        this.accepted = new CredentialCache(credentialTtl, ticker);
    }

    public boolean allows(InetAddress client) {
        return networks.isEmpty() || networks.stream().anyMatch(n -> n.contains(client));
    }

    public boolean needsCredentials() {
        return !hashes.isEmpty();
    }

    /** Whether an {@code Authorization} header value (may be {@code null}) names a user with the right password. */
    public CompletableFuture<Verdict> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return CompletableFuture.completedFuture(Verdict.REFUSED);
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(Verdict.REFUSED);
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return CompletableFuture.completedFuture(Verdict.REFUSED);
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        String hash = hashes.get(user);
        // Unknown users go through exactly the same steps, against the dummy hash, and are refused at the end.
        String checkedAgainst = hash != null ? hash : dummyHash;
        if (accepted.contains(user, password, checkedAgainst) && hash != null) {
            return CompletableFuture.completedFuture(Verdict.ACCEPTED);
        }
        return pool.submit(() -> {
            boolean matches = hasher.matches(checkedAgainst, password.toCharArray());
            if (matches && hash != null) {
                accepted.remember(user, password, checkedAgainst);
                return true;
            }
            return false;
        }).handle((ok, error) -> {
            if (error != null) {
                if (error instanceof PasswordCheckPool.Busy || error.getCause() instanceof PasswordCheckPool.Busy) {
                    return Verdict.BUSY;
                }
                return Verdict.REFUSED;
            }
            return ok ? Verdict.ACCEPTED : Verdict.REFUSED;
        });
    }

    /** The cost factor of a {@code $2y$NN$...} hash (validated by {@link BcryptUser#parse}). */
    static int cost(BcryptUser user) {
        return Integer.parseInt(user.hash().substring(4, 6));
    }

    /** A hash of a random password nobody knows, costing as much as the most expensive configured user's. */
    private static String dummyHash(int cost) {
        SecureRandom random = new SecureRandom();
        byte[] password = new byte[24];
        byte[] salt = new byte[16];
        random.nextBytes(password);
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", HexFormat.of().formatHex(password).toCharArray(), salt, cost);
    }
}
