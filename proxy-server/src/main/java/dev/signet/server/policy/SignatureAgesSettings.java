package dev.signet.server.policy;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.signet.server.artifact.SignatureLocation;
import dev.signet.server.upstream.UpstreamClient;
import java.time.Duration;

/**
 * How {@link EdgePolicy} learns signed ages: the upstream client and signature location, how long a verdict is kept
 * (the index TTL), and the same per-view budget as the metadata pre-check ({@code metadata-checks-per-page},
 * {@code metadata-check-wait}); {@code hideRefused} leaves files refused for a lasting reason off pages.
 */
public record SignatureAgesSettings(UpstreamClient client, SignatureLocation signatures, Duration ttl, Ticker ticker,
                                    int maxConcurrent, int checksPerView, Duration maxWait, boolean hideRefused) {}
