package dev.signet.server.metrics;

import dev.signet.events.SignetListener;
import dev.signet.sig.VerificationFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.Gauge;
import dev.signet.server.artifact.MemoryTier;
import dev.signet.store.StoreBudget;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Micrometer side of {@link SignetListener}: every event becomes a counter, timer or gauge in one Prometheus
 * registry, with dot-separated names in base units and only bounded tag values (no project names, no paths).
 */
public final class SignetMetrics implements SignetListener, AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SharedStoreMetrics sharedStore = new SharedStoreMetrics(registry);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Counter hits;
    private final Counter misses;
    private final Counter coalesced;
    private final Counter bytesFromCache;
    private final Counter fillRedirects;
    private final DistributionSummary fillThroughput;
    private final UpstreamLabels upstreams = new UpstreamLabels();

    public SignetMetrics() {
        MeterRegistry r = registry;
        // Always 1; the labels say which build answers (Prometheus' usual *_build_info pattern).
        dev.signet.server.BuildInfo build = dev.signet.server.BuildInfo.current();
        Gauge.builder("signet.build.info", () -> 1).tag("version", build.version()).tag("commit", build.commit())
                .description("The running build: version and git commit").register(r);
        // Which BLAKE2b hashes fills: "libsodium 1.0.18", or "Java" where libsodium did not load (about 2x slower).
        Gauge.builder("signet.blake2b.info", () -> 1).tag("implementation", dev.signet.crypto.Blake2b512.implementation())
                .description("The BLAKE2b implementation fills and publish use").register(r);
        hits = Counter.builder("signet.cache.hits").description("Artifact requests served from the cache").register(r);
        misses = Counter.builder("signet.cache.misses").description("Artifact requests not in the cache").register(r);
        coalesced = Counter.builder("signet.cache.coalesced").description("Requests that joined a fill in progress").register(r);
        bytesFromCache = Counter.builder("signet.cache.served").baseUnit("bytes").tag("source", "cache")
                .description("Artifact bytes served, by where they came from").register(r);
        for (String source : java.util.List.of("upstream", "store")) {
            fills(source);
            bytesFilled(source);
        }
        for (VerificationFailure failure : VerificationFailure.values()) {
            failures(failure);
        }
        for (String reason : java.util.List.of("permission", "io")) {
            readFailures(reason);
        }
        fillRedirects = Counter.builder("signet.fill.redirects")
                .description("Requests still waiting for a fill answered 307 to the same artifact so the client's read timeout starts again")
                .register(r);
        fillThroughput = DistributionSummary.builder("signet.fill.throughput").baseUnit("bytes.per.second")
                .description("Body bytes per second of each committed fill, over the whole fill")
                .publishPercentileHistogram().minimumExpectedValue(64.0 * 1024).maximumExpectedValue(4.0 * 1024 * 1024 * 1024)
                .register(r);
        new JvmMemoryMetrics().bindTo(r);
        gc.bindTo(r);
        new JvmThreadMetrics().bindTo(r);
        new ClassLoaderMetrics().bindTo(r);
        new ProcessorMetrics().bindTo(r);
        new UptimeMetrics().bindTo(r);
        // The allocator the channels really use (Netty 4.2 defaults to the adaptive one, not the pooled one).
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider used) {
            new NettyAllocatorMetrics(used).bindTo(r);
        }
        trackOutOfMemory();
    }

    /** The password check pool: checks waiting, and checks refused (503) because too many were waiting. */
    public void track(dev.signet.server.access.PasswordCheckPool passwords) {
        Gauge.builder("signet.access.password.queued", passwords, dev.signet.server.access.PasswordCheckPool::queued)
                .description("Password checks waiting for a password thread").register(registry);
        FunctionCounter.builder("signet.access.password.refused", passwords, dev.signet.server.access.PasswordCheckPool::refused)
                .description("Requests answered 503 because the password check queue was full").register(registry);
    }

    /** OutOfMemoryErrors seen anywhere in this JVM ({@link OutOfMemory}). */
    private void trackOutOfMemory() {
        FunctionCounter.builder("signet.jvm.oom", OutOfMemory.class, c -> OutOfMemory.count())
                .description("OutOfMemoryErrors seen (each is logged)").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The registry in Prometheus text format, or OpenMetrics when {@code accept} asks for it. */
    public String scrape(String accept) {
        return registry.scrape(accept == null ? "text/plain" : accept);
    }

    /** Content type of {@link #scrape(String)}'s answer for {@code accept}. */
    public static String contentType(String accept) {
        return accept != null && accept.contains("application/openmetrics-text")
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
    }

    /**
     * Caffeine's own statistics (hits, misses, evictions, loads) as {@code cache.*} meters, tagged with a fixed cache
     * name: {@code artifacts} (the disk budget's index), {@code pages-<upstream name>}, {@code metadata-verdicts}.
     */
    public void monitorCaches(StoreBudget budget, java.util.Map<String, com.github.benmanes.caffeine.cache.Cache<String, ?>> pages,
                              com.github.benmanes.caffeine.cache.AsyncCache<String, Boolean> verdicts) {
        CaffeineCacheMetrics.monitor(registry, budget.statistics(), "artifacts");
        // The upstream goes into the cache name, not a tag of its own: Prometheus wants one tag set per meter name.
        pages.forEach((upstream, cache) -> CaffeineCacheMetrics.monitor(registry, cache, "pages-" + upstream));
        CaffeineCacheMetrics.monitor(registry, verdicts, "metadata-verdicts");
    }

    /** Size, entries and evictions are read from the cache's budget, the one place that counts them. */
    public void track(StoreBudget budget) {
        Gauge.builder("signet.cache.size", budget, StoreBudget::bytes).baseUnit("bytes")
                .description("Bytes of verified artifacts in the cache").register(registry);
        Gauge.builder("signet.cache.entries", budget, StoreBudget::entryCount)
                .description("Verified artifacts in the cache").register(registry);
        FunctionCounter.builder("signet.cache.evictions", budget, StoreBudget::evictionCount)
                .description("Entries evicted to stay within the disk budget").register(registry);
    }

    /** The memory tier: its size, entries, and the artifact requests it answered (also counted in signet.cache.hits). */
    public void track(MemoryTier memory) {
        Gauge.builder("signet.cache.memory.size", memory, MemoryTier::bytes).baseUnit("bytes")
                .description("Bytes of verified artifacts held in memory").register(registry);
        Gauge.builder("signet.cache.memory.entries", memory, MemoryTier::entries)
                .description("Verified artifacts held in memory").register(registry);
        FunctionCounter.builder("signet.cache.memory.hits", memory, MemoryTier::hits)
                .description("Artifact requests answered from memory").register(registry);
    }

    @Override
    public void cacheHit(long bytes) {
        hits.increment();
        bytesFromCache.increment(bytes);
    }

    @Override
    public void cacheMiss() {
        misses.increment();
    }

    @Override
    public void fillCoalesced() {
        coalesced.increment();
    }

    @Override
    public void fillCommitted(String source, long bytes) {
        fills(source).increment();
        bytesFilled(source).increment(bytes);
    }

    /** {@code source} is {@code upstream} or {@code store} (the fleet's shared store). */
    private Counter fills(String source) {
        return Counter.builder("signet.cache.fills").tag("source", source)
                .description("Artifacts fetched, verified and committed, by where they were fetched from (upstream, store)")
                .register(registry);
    }

    private Counter bytesFilled(String source) {
        return Counter.builder("signet.cache.served").baseUnit("bytes").tag("source", source)
                .description("Artifact bytes served, by where they came from").register(registry);
    }

    /** Outcome is one of three fixed values, so there are at most three timers. */
    @Override
    public void fillFinished(String outcome, long bytes, long nanos) {
        Timer.builder("signet.fill.duration").tag("outcome", outcome)
                .description("Fills from start to verdict (page lookup, signature, body, checks, commit), by outcome")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofHours(1))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
        if (outcome.equals("committed") && nanos > 0) {
            fillThroughput.record(bytes * 1e9 / nanos);
        }
    }

    @Override
    public void fillWaitRedirected() {
        fillRedirects.increment();
    }

    @Override
    public void verificationFailed(VerificationFailure failure) {
        failures(failure).increment();
    }

    @Override
    public void pageRefused(dev.signet.pages.PageRefusal reason) {
        Counter.builder("signet.page.refusals").tag("reason", reason.tag())
                .description("Project pages refused by a signed-page check, by the check that failed").register(registry)
                .increment();
    }

    @Override
    public void originSigned(long bytes) {
        Counter.builder("signet.origin.signed").description("Files a signing origin checked and signed (once each)")
                .register(registry).increment();
        Counter.builder("signet.origin.signed.bytes").baseUnit("bytes")
                .description("Bytes of the files a signing origin signed").register(registry).increment(bytes);
    }

    @Override
    public void originRefused(String reason) {
        Counter.builder("signet.origin.refusals").tag("reason", reason)
                .description("Files a signing origin refused to sign, by reason").register(registry).increment();
    }

    @Override
    public void policyBlocked(String reason) {
        Counter.builder("signet.policy.blocked").tag("reason", reason)
                .description("Direct requests refused by the supply-chain policy, by reason").register(registry)
                .increment();
    }

    private Counter failures(VerificationFailure failure) {
        return Counter.builder("signet.verify.failures").tag("reason", failure.tag())
                .description("Artifacts refused, by the check that failed").register(registry);
    }

    @Override
    public void cacheReadFailed(String reason) {
        readFailures(reason).increment();
    }

    @Override
    public void cacheWriteFailed() {
        Counter.builder("signet.cache.write.failures")
                .description("Fills that could not write or commit their file (disk full, I/O error)").register(registry)
                .increment();
    }

    private Counter readFailures(String reason) {
        return Counter.builder("signet.cache.read.failures").tag("reason", reason)
                .description("Cached files that could not be read, by kind of fault (permission, io)").register(registry);
    }

    @Override
    public void reverified(boolean ok) {
        Counter.builder("signet.cache.reverifications").tag("outcome", ok ? "ok" : "failed")
                .description("Cached artifacts checked again from disk").register(registry).increment();
    }

    @Override
    public void upstreamFailed(String kind) {
        // Counted per exchange in upstreamExchange, with the upstream; a fill's failure is one of those.
    }

    @Override
    public void upstreamExchange(String host, String outcome, long nanos) {
        String upstream = upstreams.label(host);
        Timer.builder("signet.upstream.requests").tag("upstream", upstream).tag("outcome", outcome)
                .description("Upstream exchanges, by upstream and outcome (status class or failure)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
        if (!outcome.equals("2xx") && !outcome.equals("3xx")) {
            Counter.builder("signet.upstream.errors").tag("upstream", upstream).tag("kind", outcome)
                    .description("Upstream exchanges that failed or answered 4xx/5xx").register(registry).increment();
        }
    }

    @Override
    public void sharedStoreRead(String outcome, long bytes, long nanos) {
        sharedStore.read(outcome, bytes, nanos);
    }

    @Override
    public void sharedStoreRefused(VerificationFailure failure) {
        sharedStore.refused(failure);
    }

    @Override
    public void sharedStoreWrite(String outcome, long bytes, long nanos) {
        sharedStore.write(outcome, bytes, nanos);
    }

    @Override
    public void sharedStoreError(String operation) {
        sharedStore.error(operation);
    }

    /** A response body size histogram would need a byte count per request: recorded by {@link HttpRequestMetrics}. */
    /*
     * The per-request meters are looked up in small maps first: building and registering a meter on every request
     * showed up as several percent of a cache hit's CPU. Tags are bounded (fixed routes, status classes), so are the maps.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, DistributionSummary> responseSizes =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Route, then status class: two lookups of constant strings instead of a key concatenated per request. */
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.ConcurrentHashMap<String, Timer>> requestTimers =
            new java.util.concurrent.ConcurrentHashMap<>();

    DistributionSummary responseBytes(String route) {
        return responseSizes.computeIfAbsent(route, r -> DistributionSummary.builder("signet.http.response.size")
                .baseUnit("bytes").tag("route", r).description("Response body bytes, by route").register(registry));
    }

    Timer requests(String route, String statusClass) {
        return requestTimers.computeIfAbsent(route, r -> new java.util.concurrent.ConcurrentHashMap<>())
                .computeIfAbsent(statusClass, key -> Timer.builder("signet.http.requests")
                .tag("route", route).tag("status", statusClass)
                .description("Client requests, by route and status class, with latency to the last byte written")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry));
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
