package dev.signet.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link Blake2b512Test} against libsodium's BLAKE2b, plus the two implementations against each other.
 * libsodium must load here: {@code .ci/run} installs it (minisign depends on it), and a machine without it would
 * otherwise pass these tests on the Java implementation without ever running the native one.
 */
class SodiumBlake2b512Test extends Blake2b512Test {

    @BeforeAll
    static void libsodiumIsLoaded() {
        assertThat(SodiumLoader.available()).as("libsodium loads (Debian: apt-get install libsodium23)").isTrue();
    }

    @Override
    Blake2b512 newDigest() {
        return new SodiumBlake2b512();
    }

    @Test
    void createHandsOutTheNativeImplementationWhenItLoaded() {
        assertThat(Blake2b512.create()).isInstanceOf(SodiumBlake2b512.class);
        assertThat(Blake2b512.implementation()).startsWith("libsodium 1.");
    }

    /** Large direct buffers at unaligned offsets, as the fill pipeline hands them over, against the Java one. */
    @Test
    void agreesWithTheJavaImplementationOnLargeUnalignedDirectBuffers() {
        Random random = new Random(42);
        byte[] data = new byte[9 * 1024 * 1024 + 13];
        random.nextBytes(data);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
        for (int trial = 0; trial < 20; trial++) {
            Blake2b512 sodium = new SodiumBlake2b512();
            Blake2b512 java = new JavaBlake2b512();
            int offset = random.nextInt(64);
            while (offset < data.length) {
                int piece = Math.min(data.length - offset, 1 + random.nextInt(2 * 1024 * 1024));
                sodium.update(direct.duplicate().position(offset).limit(offset + piece));
                // The heap path crosses the 64 KiB scratch block.
                java.update(data, offset, piece);
                offset += piece;
            }
            assertThat(sodium.digest()).as("trial %d", trial).isEqualTo(java.digest());
        }
    }

    /** Where the library is missing the loader says why, and Signet stays on the Java implementation. */
    @Test
    void aMissingLibraryIsReportedNotThrown() {
        assertThat(SodiumLoader.bind(List.of("signet-no-such-library")))
                .startsWith("libsodium not found: ").contains("signet-no-such-library");
    }

    @Test
    void heapInputLargerThanTheScratchBlockIsHashedWhole() {
        byte[] data = new byte[300_001];
        new Random(3).nextBytes(data);
        Blake2b512 sodium = new SodiumBlake2b512();
        sodium.update(data, 5, data.length - 5);
        Blake2b512 java = new JavaBlake2b512();
        java.update(data, 5, data.length - 5);
        assertThat(sodium.digest()).isEqualTo(java.digest());
    }
}
