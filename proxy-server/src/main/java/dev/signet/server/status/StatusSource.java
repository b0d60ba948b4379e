package dev.signet.server.status;

import dev.signet.server.admin.Readiness;
import dev.signet.server.artifact.FillRegistry;
import dev.signet.server.artifact.MemoryTier;
import dev.signet.server.index.IndexService;
import dev.signet.server.index.Origin;
import dev.signet.server.upstream.UpstreamClient;
import dev.signet.store.StoreBudget;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Gathers a {@link StatusSnapshot} from the running server's parts. Blocking (the fill byte counters, the readiness
 * check touch the disk): the admin handler calls it on a worker.
 */
public final class StatusSource implements Supplier<StatusSnapshot> {

    /** The recent views the status listener keeps: hit ratio, upstream health, refusals. */
    public record Recent(HitWindow hits, UpstreamHealth upstreams, RecentRefusals refusals) {

        /** The status page's defaults: hit ratio over the last 5 minutes in 10 s slots; the last 20 refusals. */
        public static Recent standard(InstantSource clock) {
            return new Recent(new HitWindow(Duration.ofMinutes(5), 30, System::nanoTime), new UpstreamHealth(clock),
                    new RecentRefusals(20, clock));
        }

        public StatusListener listener() {
            return new StatusListener(hits, upstreams, refusals);
        }
    }

    private final String version;
    private final InstantSource clock;
    private final Instant started;
    private final Readiness readiness;
    private final IndexService index;
    private final StoreBudget budget;
    private final long maxCacheBytes;
    private final MemoryTier memory;
    private final FillRegistry fills;
    private final Recent recent;
    private final String settings;

    public StatusSource(String version, InstantSource clock, Readiness readiness, IndexService index, StoreBudget budget,
                        long maxCacheBytes, MemoryTier memory, FillRegistry fills, Recent recent, String settings) {
        this.version = version;
        this.clock = clock;
        this.started = clock.instant();
        this.readiness = readiness;
        this.index = index;
        this.budget = budget;
        this.maxCacheBytes = maxCacheBytes;
        this.memory = memory;
        this.fills = fills;
        this.recent = recent;
        this.settings = settings;
    }

    @Override
    public StatusSnapshot get() {
        Instant now = clock.instant();
        List<String> problems = readiness.problems();
        List<StatusSnapshot.Upstream> upstreams = new ArrayList<>();
        for (Origin origin : index.origins()) {
            upstreams.add(new StatusSnapshot.Upstream(origin.name(), UpstreamClient.redacted(origin.simpleUrl()),
                    recent.upstreams().of(origin.simpleUrl().getHost())));
        }
        return new StatusSnapshot(version, now, Duration.between(started, now), problems.isEmpty(),
                problems.isEmpty() ? "ready" : "not ready: " + String.join("; ", problems), upstreams,
                new StatusSnapshot.Cache(budget.bytes(), maxCacheBytes, budget.entryCount(),
                        memory.bytes(), memory.enabled() ? memory.maxBytes() : 0),
                recent.hits().counts(), fills.inProgress(), recent.refusals().list(), settings);
    }
}
