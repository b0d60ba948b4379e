package dev.signet.store;

/**
 * Outcome of {@link ArtifactStore#scan}.
 *
 * @param entries        complete entries found and handed to the consumer
 * @param bytes          sum of their lengths
 * @param orphansRemoved files removed: data without sidecar, sidecar without data, corrupt pairs, stray files
 */
public record ScanResult(long entries, long bytes, long orphansRemoved) {
}
