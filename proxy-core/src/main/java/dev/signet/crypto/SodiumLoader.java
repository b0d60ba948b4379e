package dev.signet.crypto;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads libsodium once per JVM for {@link SodiumBlake2b512}, and decides whether it may be used: the library loads,
 * {@code sodium_init} succeeds, and its BLAKE2b gives RFC 7693's digest of "abc" and the same digests as
 * {@link JavaBlake2b512} on random inputs split at odd points, from heap arrays and from direct buffers. Anything
 * else (no libsodium on the machine, JNA's stub cannot be unpacked on a read-only file system, a 32-bit JVM, a
 * mismatch) leaves Signet on the Java implementation, with the reason in one log line: slower, never wrong.
 */
final class SodiumLoader {

    private static final Logger LOG = LoggerFactory.getLogger(SodiumLoader.class);

    /** The development symlink first, then the sonames of Debian 12 (23) and 13 (26) and other distributions. */
    private static final List<String> LIBRARY_NAMES = List.of("sodium", "libsodium.so.26", "libsodium.so.23");

    private static final String ABC_DIGEST = "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
            + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923";

    private record Status(boolean available, String version, int stateBytes) {}

    private static final Status STATUS = load();

    private SodiumLoader() {}

    static boolean available() {
        return STATUS.available();
    }

    static String version() {
        return STATUS.version();
    }

    static int stateBytes() {
        return STATUS.stateBytes();
    }

    /** libsodium's functions, bound by JNA's direct mapping (no reflection per call) once the library has loaded. */
    static final class Sodium {
        private Sodium() {}

        static native int sodium_init();

        static native String sodium_version_string();

        static native long crypto_generichash_statebytes();

        // size_t and unsigned long long are both 64 bits wide where this is used (load() checks size_t).
        static native int crypto_generichash_init(Pointer state, Pointer key, long keyBytes, long outBytes);

        static native int crypto_generichash_update(Pointer state, Pointer in, long inBytes);

        static native int crypto_generichash_final(Pointer state, Pointer out, long outBytes);
    }

    private static Status load() {
        String reason;
        try {
            reason = bind(LIBRARY_NAMES);
        } catch (LinkageError | RuntimeException e) {
            reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        if (reason != null) {
            LOG.info("BLAKE2b: Java implementation ({}); installing libsodium (Debian: libsodium23) makes cold fills"
                    + " and signet publish hash about 1.8x faster", reason);
            return new Status(false, null, 0);
        }
        String version = Sodium.sodium_version_string();
        LOG.info("BLAKE2b: libsodium {} (self-tested against the Java implementation)", version);
        return new Status(true, version, (int) Sodium.crypto_generichash_statebytes());
    }

    /** Null when libsodium, looked up under one of {@code names}, may be used; otherwise why not. */
    static String bind(List<String> names) {
        if (Native.SIZE_T_SIZE != Long.BYTES) {
            return "size_t is " + Native.SIZE_T_SIZE + " bytes on this JVM";
        }
        NativeLibrary library = null;
        UnsatisfiedLinkError last = null;
        for (String name : names) {
            try {
                library = NativeLibrary.getInstance(name);
                break;
            } catch (UnsatisfiedLinkError e) {
                last = e;
            }
        }
        if (library == null) {
            return "libsodium not found: " + firstLine(last.getMessage());
        }
        Native.register(Sodium.class, library);
        if (Sodium.sodium_init() < 0) {
            return "sodium_init failed";
        }
        long stateBytes = Sodium.crypto_generichash_statebytes();
        if (stateBytes <= 0 || stateBytes > 4096) {
            return "unexpected crypto_generichash state size " + stateBytes;
        }
        String mismatch = selfTest((int) stateBytes);
        if (mismatch != null) {
            LOG.error("libsodium's BLAKE2b disagrees with Signet's ({}); not using it", mismatch);
            return "self-test failed: " + mismatch;
        }
        return null;
    }

    private static String selfTest(int stateBytes) {
        Blake2b512 sodium = new SodiumBlake2b512(stateBytes);
        sodium.update("abc".getBytes(StandardCharsets.US_ASCII), 0, 3);
        if (!HexFormat.of().formatHex(sodium.digest()).equals(ABC_DIGEST)) {
            return "RFC 7693 test vector";
        }
        SplittableRandom random = new SplittableRandom(7693);
        for (int length : new int[] {0, 1, 127, 128, 129, 255, 256, 65_535, 65_536, 65_537, 200_001}) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            ByteBuffer direct = ByteBuffer.allocateDirect(length + 3);
            direct.position(3);
            direct.put(bytes).position(3);
            int split = length == 0 ? 0 : random.nextInt(length);
            JavaBlake2b512 reference = new JavaBlake2b512();
            reference.update(bytes, 0, length);
            byte[] expected = reference.digest();
            sodium.update(bytes, 0, split);
            sodium.update(bytes, split, length - split);
            if (!Arrays.equals(sodium.digest(), expected)) {
                return "heap input of " + length + " bytes";
            }
            sodium.update(direct.duplicate().limit(3 + split));
            sodium.update(direct.duplicate().position(3 + split));
            if (!Arrays.equals(sodium.digest(), expected)) {
                return "direct input of " + length + " bytes";
            }
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
