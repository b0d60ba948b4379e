package dev.signet.server.origin;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A published file of the origin's tree, ready to send: a distribution, a {@code .metadata} or a {@code .minisig}.
 * Published files never change, so {@code etag} (from the file's SHA-256) is a strong validator for ever.
 */
public record OriginFile(String name, Path path, String etag, Instant lastModified) {
}
