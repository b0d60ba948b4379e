package dev.signet.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Differential: Signet's BLAKE2b-512 in Java, libsodium's (when it loads) and Bouncy Castle's agree on any message,
 * split into any pieces.
 */
class Blake2b512FuzzTest {

    @FuzzTest
    void agreesWithBouncyCastle(FuzzedDataProvider fuzz) {
        int pieces = fuzz.consumeInt(0, 12);
        Blake2b512 ours = new JavaBlake2b512();
        Blake2b512 sodium = SodiumLoader.available() ? new SodiumBlake2b512() : new JavaBlake2b512();
        Blake2bDigest reference = new Blake2bDigest(512);
        for (int i = 0; i < pieces; i++) {
            boolean direct = fuzz.consumeBoolean();
            byte[] piece = fuzz.consumeBytes(fuzz.consumeInt(0, 600));
            reference.update(piece, 0, piece.length);
            if (direct) {
                ours.update(ByteBuffer.allocateDirect(piece.length).put(piece).flip());
                sodium.update(ByteBuffer.allocateDirect(piece.length).put(piece).flip());
            } else {
                ours.update(piece, 0, piece.length);
                sodium.update(piece, 0, piece.length);
            }
        }
        byte[] expected = new byte[64];
        reference.doFinal(expected, 0);
        assertThat(ours.digest()).isEqualTo(expected);
        assertThat(sodium.digest()).isEqualTo(expected);
    }
}
