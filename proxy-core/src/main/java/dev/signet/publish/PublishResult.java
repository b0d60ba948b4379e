package dev.signet.publish;

import dev.signet.index.DistributionFile;
import java.util.List;
import java.util.Map;

/**
 * What a run did.
 *
 * @param added     the files published by this run, as their pages list them
 * @param unchanged inputs that were published already with the same bytes (nothing rewritten)
 * @param yanked    files newly marked yanked
 * @param serials   every page signed by this run, with its new serial
 * @param refreshed pages re-signed only because they were close to expiry
 */
public record PublishResult(List<DistributionFile> added, int unchanged, int yanked, Map<String, Long> serials,
        int refreshed) {

    public long bytesAdded() {
        return added.stream().mapToLong(file -> file.size() == null ? 0 : file.size()).sum();
    }
}
