package dev.signet.server.access;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Checks a password against a bcrypt hash. An interface so tests can count invocations and see which thread runs
 * them; the product uses {@link #BCRYPT}.
 */
@FunctionalInterface
public interface PasswordHasher {

    /** Whether {@code password} matches {@code hash}; slow on purpose (bcrypt), so never call it on an event loop. */
    boolean matches(String hash, char[] password);

    PasswordHasher BCRYPT = (hash, password) -> {
        try {
            return OpenBSDBCrypt.checkPassword(hash, password);
        } catch (IllegalArgumentException e) {
            // BC refuses passwords over 72 bytes and similar: a refusal, not a server error.
            return false;
        }
    };
}
