package dev.signet.server.metrics;

import dev.signet.sig.VerificationFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The shared store's meters (docs/fleet.md): reads and uploads by outcome with their latency, bytes each way,
 * refusals by the check that failed, errors by operation. Every tag comes from a fixed vocabulary.
 */
final class SharedStoreMetrics {

    private final MeterRegistry registry;

    SharedStoreMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void read(String outcome, long bytes, long nanos) {
        Timer.builder("signet.store.reads").tag("outcome", outcome)
                .description("Shared store reads on a local miss (hit, miss, refused, error, skipped), with latency")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofHours(1))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
        if (bytes > 0) {
            bytes("read").increment(bytes);
        }
    }

    void write(String outcome, long bytes, long nanos) {
        Timer.builder("signet.store.uploads").tag("outcome", outcome)
                .description("Uploads of verified artifacts to the shared store (uploaded, exists, error, skipped)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofHours(1))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
        if (bytes > 0) {
            bytes("written").increment(bytes);
        }
    }

    void refused(VerificationFailure failure) {
        Counter.builder("signet.store.refusals").tag("reason", failure.tag())
                .description("Shared store objects refused (and deleted), by the check that failed").register(registry)
                .increment();
    }

    void error(String operation) {
        Counter.builder("signet.store.errors").tag("operation", operation)
                .description("Shared store calls that failed or timed out, by operation").register(registry).increment();
    }

    private Counter bytes(String direction) {
        return Counter.builder("signet.store.bytes").baseUnit("bytes").tag("direction", direction)
                .description("Bytes read from and written to the shared store").register(registry);
    }
}
