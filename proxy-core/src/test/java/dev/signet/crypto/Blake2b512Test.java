package dev.signet.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Java implementation; {@link SodiumBlake2b512Test} runs every test here against libsodium's too. */
class Blake2b512Test {

    /** The implementation under test. */
    Blake2b512 newDigest() {
        return new JavaBlake2b512();
    }

    @Test
    void matchesTheTestVectorsOfRfc7693AndItsReferenceCode() {
        // RFC 7693, appendix A ("abc"), and the empty message from the reference implementation's test vectors.
        assertThat(hex(hash("abc".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(
                "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                        + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
        assertThat(hex(hash(new byte[0]))).isEqualTo(
                "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419"
                        + "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce");
    }

    /** Around the block size the final-block rule decides the result: a full last block is held back, not compressed. */
    @ParameterizedTest
    @ValueSource(ints = {1, 127, 128, 129, 255, 256, 257, 1023, 1024, 1025, 65536, 1 << 20})
    void agreesWithBouncyCastleAtAndAroundBlockBoundaries(int length) {
        byte[] input = randomBytes(length, length);
        assertThat(hash(input)).isEqualTo(bouncyCastle(input));
    }

    @Test
    void agreesWithBouncyCastleWhateverTheInputIsSplitIntoAndFedFrom() {
        Random random = new Random(7693);
        byte[] data = randomBytes(5000, 1);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
        for (int trial = 0; trial < 3000; trial++) {
            int length = random.nextInt(data.length);
            Blake2b512 ours = newDigest();
            int offset = 0;
            while (offset < length) {
                int piece = Math.min(length - offset, random.nextInt(400));
                switch (random.nextInt(4)) {
                    case 0 -> ours.update(data, offset, piece);
                    case 1 -> ours.update(ByteBuffer.wrap(data, offset, piece));
                    case 2 -> ours.update(direct.duplicate().position(offset).limit(offset + piece));
                    default -> ours.update(ByteBuffer.wrap(data, offset, piece).asReadOnlyBuffer());
                }
                offset += piece;
            }
            assertThat(ours.digest()).as("length %d, trial %d", length, trial)
                    .isEqualTo(bouncyCastle(java.util.Arrays.copyOf(data, length)));
        }
    }

    @Test
    void aBufferIsConsumedToItsLimitAndTheDigestResetsForTheNextMessage() {
        byte[] data = randomBytes(1000, 3);
        ByteBuffer direct = ByteBuffer.allocateDirect(1000).put(data).flip();
        Blake2b512 digest = newDigest();
        digest.update(direct);
        assertThat(direct.position()).isEqualTo(direct.limit());
        assertThat(digest.digest()).isEqualTo(bouncyCastle(data));
        digest.update(data, 0, data.length);
        assertThat(digest.digest()).as("after a digest, a fresh message").isEqualTo(bouncyCastle(data));
    }

    @Test
    void agreesWithCoreutilsB2sum(@TempDir Path dir) throws Exception {
        byte[] data = randomBytes(3 * 1024 * 1024 + 77, 11);
        Path file = Files.write(dir.resolve("artifact.bin"), data);
        Process b2sum = new ProcessBuilder("b2sum", file.toString()).redirectErrorStream(true).start();
        String out = new String(b2sum.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(b2sum.waitFor()).as(out).isZero();
        assertThat(out.split(" ")[0]).isEqualTo(hex(hash(data)));
    }

    /**
     * Regression for a slow first version: twelve unrolled rounds in one method are 8064 bytes of bytecode, which
     * HotSpot refuses to compile (DontCompileHugeMethods), so the hash ran interpreted, far slower than Bouncy Castle.
     * Every method of the class must stay under the limit.
     */
    @Test
    void everyMethodOfTheJavaImplementationIsSmallEnoughForHotSpotToCompile() throws IOException {
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
        StringWriter out = new StringWriter();
        String classes = Path.of(JavaBlake2b512.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .toString();
        int status = javap.run(new PrintWriter(out), new PrintWriter(out), "-c", "-p", "-cp", classes,
                JavaBlake2b512.class.getName());
        assertThat(status).as(out.toString()).isZero();
        Matcher instruction = Pattern.compile("^\\s+(\\d+): \\w", Pattern.MULTILINE).matcher(out.toString());
        int largestOffset = 0;
        while (instruction.find()) {
            largestOffset = Math.max(largestOffset, Integer.parseInt(instruction.group(1)));
        }
        assertThat(largestOffset).as("largest bytecode offset in any method").isGreaterThan(1000).isLessThan(8000);
    }

    private byte[] hash(byte[] input) {
        Blake2b512 digest = newDigest();
        digest.update(input, 0, input.length);
        return digest.digest();
    }

    private static byte[] bouncyCastle(byte[] input) {
        Blake2bDigest digest = new Blake2bDigest(512);
        digest.update(input, 0, input.length);
        byte[] out = new byte[64];
        digest.doFinal(out, 0);
        return out;
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
