package dev.signet.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Password checks: same work for known and unknown users, a safe cache of successes, their own threads. */
class AccessPolicyTest {

    private static final int COST = 6;
    private static final String ALICE_HASH = hash("correct horse", COST);

    /** Every bcrypt check the policy asked for: which hash, on which thread. */
    private record Check(String hash, String thread) {}

    private final List<Check> checks = new CopyOnWriteArrayList<>();
    private final PasswordHasher countingBcrypt = (hash, password) -> {
        checks.add(new Check(hash, Thread.currentThread().getName()));
        return PasswordHasher.BCRYPT.matches(hash, password);
    };
    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final PasswordCheckPool pool = new PasswordCheckPool(2, 16);

    @AfterEach
    void closePool() {
        pool.close();
    }

    private AccessPolicy policy(String aliceHash) {
        return new AccessPolicy(List.of(), List.of(new BcryptUser("alice", aliceHash)), pool, countingBcrypt,
                Duration.ofMinutes(5), ticker);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String hash(String password, int cost) {
        return OpenBSDBCrypt.generate("2y", password.toCharArray(), new SecureRandom().generateSeed(16), cost);
    }

    @Test
    void anUnknownUserCostsTheSameBcryptCheckAsAKnownUserWithAWrongPassword() {
        AccessPolicy policy = policy(ALICE_HASH);

        assertThat(policy.authenticate(basic("alice", "wrong")).join()).isEqualTo(AccessPolicy.Verdict.REFUSED);
        assertThat(checks).as("a known user with a wrong password: one bcrypt check").hasSize(1);
        assertThat(checks.get(0).hash()).isEqualTo(ALICE_HASH);

        assertThat(policy.authenticate(basic("mallory", "wrong")).join()).isEqualTo(AccessPolicy.Verdict.REFUSED);
        assertThat(checks).as("an unknown user: one bcrypt check too, not an early refusal").hasSize(2);
        String dummy = checks.get(1).hash();
        assertThat(dummy).as("against a dummy hash of the same cost").startsWith("$2y$06$").isNotEqualTo(ALICE_HASH);

        // An unknown user with a known user's password is refused all the same.
        assertThat(policy.authenticate(basic("mallory", "correct horse")).join()).isEqualTo(AccessPolicy.Verdict.REFUSED);
        assertThat(checks).hasSize(3);
        assertThat(checks).extracting(Check::thread).allSatisfy(t -> assertThat(t).startsWith(PasswordCheckPool.THREAD_PREFIX));
    }

    @Test
    void theDummyHashCostsAsMuchAsTheMostExpensiveConfiguredUser() {
        AccessPolicy policy = new AccessPolicy(List.of(), List.of(new BcryptUser("alice", ALICE_HASH),
                new BcryptUser("bob", hash("x", 7))), pool, countingBcrypt, Duration.ofMinutes(5), ticker);
        policy.authenticate(basic("mallory", "x")).join();
        assertThat(checks).singleElement().satisfies(c -> assertThat(c.hash()).startsWith("$2y$07$"));
    }

    @Test
    void aSuccessfulCheckIsRememberedForItsTtlOnly() {
        AccessPolicy policy = policy(ALICE_HASH);
        assertThat(policy.authenticate(basic("alice", "correct horse")).join()).isEqualTo(AccessPolicy.Verdict.ACCEPTED);
        assertThat(policy.authenticate(basic("alice", "correct horse")).join()).isEqualTo(AccessPolicy.Verdict.ACCEPTED);
        assertThat(checks).as("the second request is answered from the cache").hasSize(1);
        assertThat(policy.authenticate(basic("alice", "wrong")).join()).isEqualTo(AccessPolicy.Verdict.REFUSED);
        assertThat(checks).as("a wrong password is never answered from the cache").hasSize(2);

        nanos.addAndGet(TimeUnit.MINUTES.toNanos(6));
        assertThat(policy.authenticate(basic("alice", "correct horse")).join()).isEqualTo(AccessPolicy.Verdict.ACCEPTED);
        assertThat(checks).as("after the TTL the password is checked again").hasSize(3);
    }

    @Test
    void aRememberedCredentialDoesNotSurviveAChangedPasswordHash() {
        CredentialCache cache = new CredentialCache(Duration.ofMinutes(5), ticker);
        String newHash = hash("new password", COST);
        cache.remember("alice", "correct horse", ALICE_HASH);
        assertThat(cache.contains("alice", "correct horse", ALICE_HASH)).isTrue();
        assertThat(cache.contains("alice", "correct horse", newHash)).as("the configured hash changed").isFalse();
        assertThat(cache.contains("alice", "correct horsf", ALICE_HASH)).isFalse();
        assertThat(cache.contains("alicf", "correct horse", ALICE_HASH)).isFalse();
        // Lengths are part of the input: moving characters between user and password is another credential.
        assertThat(cache.contains("alicec", "orrect horse", ALICE_HASH)).isFalse();

        // A policy built from a changed configuration refuses the old password.
        AccessPolicy before = policy(ALICE_HASH);
        assertThat(before.authenticate(basic("alice", "correct horse")).join()).isEqualTo(AccessPolicy.Verdict.ACCEPTED);
        AccessPolicy after = policy(newHash);
        assertThat(after.authenticate(basic("alice", "correct horse")).join()).isEqualTo(AccessPolicy.Verdict.REFUSED);
        assertThat(after.authenticate(basic("alice", "new password")).join()).isEqualTo(AccessPolicy.Verdict.ACCEPTED);
    }

    @Test
    void theCacheIsOffWithAZeroTtl() {
        AccessPolicy policy = new AccessPolicy(List.of(), List.of(new BcryptUser("alice", ALICE_HASH)), pool,
                countingBcrypt, Duration.ZERO, ticker);
        policy.authenticate(basic("alice", "correct horse")).join();
        policy.authenticate(basic("alice", "correct horse")).join();
        assertThat(checks).hasSize(2);
    }
}
