import dev.signet.crypto.Blake2b512;
import dev.signet.crypto.JavaBlake2b512;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Random;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * The hashes of a cold fill, each over GIB GiB of random bytes in 1 MiB direct buffers (as the fill pipeline hands
 * them over), in one JVM, interleaved round by round: CPU seconds of this thread per GiB, so other load on the machine
 * changes the result much less than wall time would. Run by bench/hash.sh with signet.jar on the class path.
 */
public class HashBench {
    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int gib = Integer.parseInt(args[1]);
        byte[] bytes = new byte[1 << 20];
        new Random(1).nextBytes(bytes);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        int blocks = 1024 * gib;
        System.out.println("# signet-blake2b is " + Blake2b512.implementation());
        for (int round = 0; round <= rounds; round++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            // What Signet uses: libsodium's when it loads (see the first line printed), otherwise the Java one.
            Blake2b512 signet = Blake2b512.create();
            for (int i = 0; i < blocks; i++) {
                signet.update(direct.duplicate());
            }
            signet.digest();
            long tj = cpu.getCurrentThreadCpuTime();
            Blake2b512 java = new JavaBlake2b512();
            for (int i = 0; i < blocks; i++) {
                java.update(direct.duplicate());
            }
            java.digest();
            long t1 = cpu.getCurrentThreadCpuTime();
            Blake2bDigest bc = new Blake2bDigest(512);
            byte[] scratch = new byte[16 * 1024];
            for (int i = 0; i < blocks; i++) {
                ByteBuffer view = direct.duplicate();
                while (view.hasRemaining()) {
                    int n = Math.min(scratch.length, view.remaining());
                    view.get(scratch, 0, n);
                    bc.update(scratch, 0, n);
                }
            }
            bc.doFinal(new byte[64], 0);
            long t2 = cpu.getCurrentThreadCpuTime();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < blocks; i++) {
                sha.update(direct.duplicate());
            }
            sha.digest();
            long t3 = cpu.getCurrentThreadCpuTime();
            // Round 0 lets the JIT compile all three; it is not reported.
            if (round > 0) {
                System.out.printf("%d signet-blake2b %.3f%n%d java-blake2b %.3f%n%d bouncycastle-blake2b %.3f%n"
                                + "%d jdk-sha256 %.3f%n", round, (tj - t0) / 1e9 / gib, round, (t1 - tj) / 1e9 / gib,
                        round, (t2 - t1) / 1e9 / gib, round, (t3 - t2) / 1e9 / gib);
            }
        }
    }
}
