package dev.signet.sig;

import java.util.Locale;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * libsodium's {@code crypto_pwhash_scryptsalsa208sha256}: scrypt whose (N, r, p) are derived from an
 * "opslimit" and a "memlimit" the way libsodium derives them, which is what minisign stores in its secret keys.
 */
final class ScryptKdf {

    /** minisign's defaults, libsodium's {@code OPSLIMIT_SENSITIVE} and {@code MEMLIMIT_SENSITIVE}. */
    static final long MINISIGN_OPSLIMIT = 33_554_432L;
    static final long MINISIGN_MEMLIMIT = 1_073_741_824L;

    /** The work minisign's defaults imply (N = 2^20, r = 8, p = 1); stronger keys are refused, not ground on. */
    private static final long MAX_WORK = (1L << 20) * 8;

    private ScryptKdf() {}

    record Parameters(int logN, int r, int p) {
        long n() {
            return 1L << logN;
        }
    }

    /** libsodium's {@code pickparams}, with its clamping of tiny opslimits to 32768. */
    static Parameters pick(long opsLimit, long memLimit) {
        long ops = Math.max(opsLimit, 32_768L);
        int r = 8;
        if (ops < memLimit / 32) {
            long maxN = ops / (r * 4L);
            return new Parameters(smallestLogNAbove(maxN / 2), r, 1);
        }
        long maxN = memLimit / (r * 128L);
        int logN = smallestLogNAbove(maxN / 2);
        long maxRp = Math.min((ops / 4) / (1L << logN), 0x3fffffffL);
        return new Parameters(logN, r, (int) (maxRp / r));
    }

    private static int smallestLogNAbove(long bound) {
        int logN = 1;
        while (logN < 63 && (1L << logN) <= bound) {
            logN++;
        }
        return logN;
    }

    /**
     * @param opsLimit unsigned 64-bit value as stored in the key file
     * @param memLimit unsigned 64-bit value as stored in the key file
     */
    static byte[] derive(byte[] password, byte[] salt, long opsLimit, long memLimit, int length)
            throws SignatureFormatException {
        Runtime runtime = Runtime.getRuntime();
        long availableHeap = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        Parameters parameters = pick(opsLimit, memLimit);
        long needed = 128L * parameters.r() * parameters.n();
        if (needed > availableHeap && needed > 0) {
            // The heap may be full of garbage rather than live data, e.g. the table of an earlier decryption of the
            // same key (serve reads its configuration twice): collect once before refusing for lack of memory.
            System.gc();
            availableHeap = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        }
        return derive(password, salt, opsLimit, memLimit, length, availableHeap);
    }

    static byte[] derive(byte[] password, byte[] salt, long opsLimit, long memLimit, int length, long availableHeap)
            throws SignatureFormatException {
        if (opsLimit < 0 || memLimit < 0) {
            throw new SignatureFormatException("secret key scrypt limits are out of range");
        }
        Parameters parameters = pick(opsLimit, memLimit);
        if (parameters.p() < 1 || parameters.n() * parameters.r() * parameters.p() > MAX_WORK) {
            throw new SignatureFormatException(String.format(Locale.ROOT,
                    "secret key scrypt parameters N=2^%d r=%d p=%d exceed minisign's defaults (N=2^20 r=8 p=1)",
                    parameters.logN(), parameters.r(), parameters.p()));
        }
        // scrypt's table is 128 * r * N bytes: 1 GiB for minisign's defaults. Say so instead of dying of an
        // OutOfMemoryError halfway through (signet keygen/sign need a heap above 1 GiB for such keys).
        long needed = 128L * parameters.r() * parameters.n();
        if (needed > availableHeap) {
            throw new SignatureFormatException(String.format(Locale.ROOT,
                    "decrypting this secret key needs %d MiB for scrypt but only %d MiB of heap is free;"
                            + " raise the JVM heap (-Xmx)", needed >> 20, availableHeap >> 20));
        }
        return SCrypt.generate(password, salt, (int) parameters.n(), parameters.r(), parameters.p(), length);
    }
}
