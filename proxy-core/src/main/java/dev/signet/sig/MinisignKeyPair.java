package dev.signet.sig;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** A fresh minisign key pair, as {@code minisign -G} makes one: random Ed25519 seed and random 8-byte key id. */
public final class MinisignKeyPair {

    private final MinisignSecretKey secretKey;

    private MinisignKeyPair(MinisignSecretKey secretKey) {
        this.secretKey = secretKey;
    }

    public static MinisignKeyPair generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
        Ed25519.generatePrivateKey(random, seed);
        byte[] secret = Arrays.copyOf(seed, Ed25519.SECRET_KEY_SIZE + Ed25519.PUBLIC_KEY_SIZE);
        Arrays.fill(seed, (byte) 0);
        Ed25519.generatePublicKey(secret, 0, secret, Ed25519.SECRET_KEY_SIZE);
        byte[] id = new byte[KeyId.BYTES];
        random.nextBytes(id);
        try {
            return new MinisignKeyPair(MinisignSecretKey.fromParts(KeyId.fromBytes(id, 0), secret));
        } catch (SignatureFormatException e) {
            // fromParts only fails for a seed and public key that disagree; we derived one from the other.
            throw new IllegalStateException("freshly generated key pair is inconsistent", e);
        }
    }

    public MinisignPublicKey publicKey() {
        return secretKey.publicKey();
    }

    public MinisignSecretKey secretKey() {
        return secretKey;
    }
}
