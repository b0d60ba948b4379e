package dev.signet.server.publish;

import dev.signet.publish.IndexPublisher;
import dev.signet.publish.KeySigner;
import dev.signet.publish.PublishOptions;
import dev.signet.publish.PublishProgress;
import dev.signet.publish.PublishRequest;
import dev.signet.sig.MinisignSecretKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A publish run in its own JVM that dies like {@code kill -9} (Runtime.halt: no shutdown hooks, no finally blocks)
 * at a chosen point: after N files are written and signed, or after N pages were switched.
 * Arguments: {@code OUT KEY file|page N YANK-OR-DASH FILE...}.
 */
public final class CrashingPublish {
    static final int HALTED = 99;

    private CrashingPublish() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        MinisignSecretKey key = MinisignSecretKey.parse(Files.readString(Path.of(args[1])), null);
        String at = args[2];
        int after = Integer.parseInt(args[3]);
        Map<String, String> yanks = args[4].equals("-") ? Map.of() : Map.of(args[4], "crash test");
        List<Path> files = new ArrayList<>();
        for (int i = 5; i < args.length; i++) {
            files.add(Path.of(args[i]));
        }
        AtomicInteger events = new AtomicInteger();
        PublishProgress haltAt = new PublishProgress() {
            @Override
            public void fileDone(String fileName, long bytes) {
                if (at.equals("file") && events.incrementAndGet() == after) {
                    Runtime.getRuntime().halt(HALTED);
                }
            }

            @Override
            public void pageSwitched(String project) {
                if (at.equals("page") && events.incrementAndGet() == after) {
                    Runtime.getRuntime().halt(HALTED);
                }
            }
        };
        KeySigner signer = new KeySigner(key, null);
        new IndexPublisher(out, PublishOptions.withKey(signer).withProgress(haltAt))
                .publish(new PublishRequest(files, yanks, Optional.empty()));
        System.exit(0);
    }
}
