package dev.signet.server.shared;

import dev.signet.server.config.SharedStoreConfig;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the blocking S3 client of the shared store: the Apache 5 HTTP client (no Netty of the SDK's own, which is
 * built for Netty 4.1), the default credentials chain, the store's timeouts, and one retry: a fill falls back to the
 * upstream rather than waiting out the SDK's default backoff. Checksums are computed only where S3 requires them, so
 * any S3-compatible service understands the requests; integrity comes from Signet's own checks on every read.
 */
final class S3Clients {

    private S3Clients() {
    }

    static S3Client build(SharedStoreConfig config) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .forcePathStyle(config.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(config.timeout())
                        .socketTimeout(config.timeout())
                        .connectionAcquisitionTimeout(config.timeout())
                        // One connection per store thread, reads and uploads together.
                        .maxConnections(2 * config.threads()))
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(2)));
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        return builder.build();
    }
}
