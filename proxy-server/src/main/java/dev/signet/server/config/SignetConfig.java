package dev.signet.server.config;

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
        Duration indexTtl,
        long maxPageSize,
        UpstreamTimeouts upstreamTimeouts,
        Duration clientIdleTimeout,
        int workerThreads,
        int ioThreads,
        OperationsConfig operations) {
}
