package dev.signet.server.shared;

import dev.signet.server.config.SharedStoreConfig;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

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

    /**
     * Blocking: one GET of an object that does not exist, under the store's prefix, so that what the SDK does once per
     * JVM (loading and linking its classes, resolving the credentials chain, the signer, the request and error
     * marshalling of GetObject) and the first connection are done before the first fill, not during it. The answer
     * (404, or 403 where the policy grants no ListBucket) is what is expected; any failure is left for the first real
     * call to meet, which counts and backs off as always.
     */
    static void warmUp(S3Client s3, SharedStoreConfig config) {
        try {
            ResponseInputStream<GetObjectResponse> unexpected = s3.getObject(b -> b.bucket(config.bucket())
                    .key(config.prefix() + WARM_UP_KEY).overrideConfiguration(o -> o.apiCallTimeout(config.timeout())));
            // An object by that name is not expected; nothing of it is read.
            unexpected.abort();
            unexpected.close();
        } catch (Exception expected) {
            // NoSuchKey, AccessDenied, or the store down: nothing to do here.
        }
    }

    /** Never written: the warm-up's GET asks for it and expects a 404. */
    static final String WARM_UP_KEY = "signet-warm-up";
}
