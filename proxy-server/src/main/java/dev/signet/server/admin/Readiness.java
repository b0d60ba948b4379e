package dev.signet.server.admin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Whether Signet should get traffic: not while starting (until every listener is bound), not while draining, and not
 * when the cache directory cannot be written or no key is loaded.
 */
public final class Readiness {

    enum Phase { STARTING, SERVING, DRAINING }

    private final Path cacheDir;
    private final BooleanSupplier keysLoaded;
    private volatile Phase phase = Phase.STARTING;

    public Readiness(Path cacheDir, BooleanSupplier keysLoaded) {
        this.cacheDir = cacheDir;
        this.keysLoaded = keysLoaded;
    }

    /** Every listener is bound. */
    public void serving() {
        if (phase == Phase.STARTING) {
            phase = Phase.SERVING;
        }
    }

    public void draining() {
        phase = Phase.DRAINING;
    }

    /** Blocking (touches the file system): why Signet is not ready; empty when it is. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (phase == Phase.STARTING) {
            problems.add("starting: listeners not bound yet");
        } else if (phase == Phase.DRAINING) {
            problems.add("draining: shutting down");
        }
        if (!Files.isDirectory(cacheDir) || !Files.isWritable(cacheDir)) {
            problems.add("cache directory " + cacheDir + " is not a writable directory");
        }
        if (!keysLoaded.getAsBoolean()) {
            problems.add("no trusted key loaded");
        }
        return problems;
    }
}
