package dev.signet.server.config;

import java.net.URI;
import java.time.Duration;

/**
 * The fleet's shared store (docs/fleet.md): an S3-compatible bucket that every edge reads on a local miss and writes
 * after a verified upstream fill. {@code bucket} is {@code null} when no store is configured. {@code prefix} is empty
 * or ends with {@code /}. {@code endpoint} is {@code null} for AWS's own endpoints. Credentials are not settings: they
 * come from the AWS default provider chain (environment, profile file, web identity, container or instance role).
 *
 * @param timeout   connect and read (socket idle) timeout of every store call, and the limit of a call without a body
 * @param threads   store calls at once; more wait in a short queue, and past that the store is skipped
 * @param partSize  uploads above this size are multipart uploads in parts of this size
 * @param backoff   after a store fault the store is skipped this long (doubling while faults go on, up to 8x)
 */
public record SharedStoreConfig(String bucket, String prefix, URI endpoint, String region, boolean pathStyle,
                                Duration timeout, int threads, long partSize, Duration backoff) {

    public static final SharedStoreConfig OFF = new SharedStoreConfig(null, "", null, "us-east-1", false,
            Duration.ofSeconds(10), 8, 64L << 20, Duration.ofSeconds(30));

    public boolean enabled() {
        return bucket != null;
    }

    /** {@code s3://bucket/prefix/} as configured, for logs. */
    public String url() {
        return "s3://" + bucket + "/" + prefix;
    }
}
