package dev.signet.fill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.crypto.Blake2b512;
import dev.signet.crypto.JavaBlake2b512;
import org.junit.jupiter.api.Test;

class HashWarmUpTest {

    /** The warm-up goes through the very update path a fill uses, and hashes what it says it hashes. */
    @Test
    void hashesItsZerosThroughTheFillsHashes() {
        Blake2b512 reference = new JavaBlake2b512();
        byte[] zeros = new byte[1 << 20];
        for (int i = 0; i < HashWarmUp.BYTES / zeros.length; i++) {
            reference.update(zeros, 0, zeros.length);
        }
        assertThat(HashWarmUp.run()).isEqualTo(reference.digest());
    }
}
