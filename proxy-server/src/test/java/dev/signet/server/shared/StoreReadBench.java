package dev.signet.server.shared;

import dev.signet.server.artifact.SharedTier;
import dev.signet.server.config.SharedStoreConfig;
import dev.signet.store.ArtifactKey;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The store side of a cold fill alone, for bench/shared-store.sh (a measurement, not a test): in a fresh JVM, how long
 * building the S3 client takes, how long its warm-up call takes, and how long {@link StoreReader} takes to read an
 * object into an intake that only counts the bytes (no hashing, no disk), the first time and then warm. Compared with
 * a plain download of the same object, it says what the store part of a fill costs apart from verification and commit.
 *
 * <pre>java -cp CLASSPATH dev.signet.server.shared.StoreReadBench ENDPOINT BUCKET PREFIX PROJECT FILE ROUNDS [nowarm]</pre>
 * Credentials from the AWS default chain. Prints one line per step: {@code step seconds bytes MiB/s}.
 */
public final class StoreReadBench {

    private StoreReadBench() {
    }

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String bucket = args[1];
        String prefix = args[2].isEmpty() || args[2].endsWith("/") ? args[2] : args[2] + "/";
        ArtifactKey key = new ArtifactKey(args[3], args[4]);
        int rounds = Integer.parseInt(args[5]);
        boolean warm = args.length < 7 || !args[6].equals("nowarm");
        SharedStoreConfig config = new SharedStoreConfig(bucket, prefix, endpoint, "us-east-1", true,
                Duration.ofSeconds(60), 8, 64L << 20, Duration.ofSeconds(30));
        long t0 = System.nanoTime();
        S3Client s3 = S3Clients.build(config);
        report("client-build", t0, 0);
        if (warm) {
            t0 = System.nanoTime();
            S3Clients.warmUp(s3, config);
            report("client-warm-up", t0, 0);
        }
        StoreReader reader = new StoreReader(s3, bucket, new ObjectKeys(prefix), config.timeout());
        for (int round = 1; round <= rounds; round++) {
            CountingIntake intake = new CountingIntake();
            t0 = System.nanoTime();
            StoreReader.Result result = reader.read(key, signature -> intake);
            if (!(result instanceof StoreReader.Result.Hit)) {
                throw new IllegalStateException("read " + round + ": " + result);
            }
            report("store-read-" + round, t0, intake.bytes);
        }
        s3.close();
    }

    private static void report(String step, long started, long bytes) {
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "%s %.3f %d %.1f%n", step, seconds, bytes,
                bytes == 0 ? 0.0 : bytes / seconds / (1 << 20));
    }

    /** Takes every block and drops it: what is left is the store, the SDK, the HTTP client and the reader. */
    private static final class CountingIntake implements SharedTier.Intake {
        long bytes;

        @Override
        public void accept(ByteBuffer block) {
            bytes += block.remaining();
        }

        @Override
        public dev.signet.store.StoredArtifact complete(long declaredLength) {
            if (declaredLength >= 0 && declaredLength != bytes) {
                throw new IllegalStateException("read " + bytes + " of " + declaredLength + " bytes");
            }
            return null;
        }

        @Override
        public void close() {
        }
    }
}
