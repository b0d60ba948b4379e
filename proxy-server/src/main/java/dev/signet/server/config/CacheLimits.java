package dev.signet.server.config;

import java.time.Duration;

/**
 * The artifact store's budget and checks: at most {@code maxSize} bytes, at least {@code minFree} bytes left free on
 * its filesystem; a memory tier of at most {@code memorySize} bytes (0 = off) for artifacts of at most
 * {@code memoryMaxObject} bytes; whether every serve re-verifies the file ({@code paranoid}), and the background scrub
 * (interval zero means off) with its byte rate.
 */
public record CacheLimits(long maxSize, long minFree, long memorySize, long memoryMaxObject, boolean paranoid,
                          Duration scrubInterval, long scrubRate) {
}
