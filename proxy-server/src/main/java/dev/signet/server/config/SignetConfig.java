package dev.signet.server.config;

import dev.signet.http.FillRedirectPolicy;
import dev.signet.http.FreshnessPolicy;
import dev.signet.server.upstream.UpstreamTimeouts;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The validated, effective configuration of a Signet server. Built only by {@link ConfigLoader}. */
public record SignetConfig(
        InetSocketAddress listen,
        URI upstream,
        List<TrustedKeyConfig> trustedKeys,
        List<String> revokedKeys,
        boolean requireFileName,
        String signatureUrl,
        Path cacheDir,
        CacheLimits cache,
        Duration indexTtl,
        Duration negativeTtl,
        Duration maxStale,
        boolean offline,
        long maxPageSize,
        UpstreamTimeouts upstreamTimeouts,
        Duration clientIdleTimeout,
        int workerThreads,
        int ioThreads,
        UpstreamsConfig upstreams,
        OperationsConfig operations,
        RequestHeadLimits requestHead,
        PagesConfig pages,
        Duration fillRedirectAfter,
        OriginConfig origin,
        PolicyConfig policy,
        SharedStoreConfig sharedStore) {

    /** How long index pages are fresh, remembered as absent, and usable stale. */
    public FreshnessPolicy pageFreshness() {
        return new FreshnessPolicy(indexTtl, negativeTtl, maxStale);
    }

    /** When a request still waiting for a fill is redirected to itself (fill-redirect-after; zero = never). */
    public FillRedirectPolicy fillRedirects() {
        return new FillRedirectPolicy(fillRedirectAfter);
    }
}
