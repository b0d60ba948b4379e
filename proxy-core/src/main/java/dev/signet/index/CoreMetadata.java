package dev.signet.index;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The index serves the file's core metadata at {@code <file url>.metadata} (PEP 658/714).
 * An empty map means the metadata is available but the index gave no hash for it.
 */
public record CoreMetadata(Map<String, String> hashes) {
    public CoreMetadata {
        Objects.requireNonNull(hashes, "hashes");
        hashes = Collections.unmodifiableMap(new LinkedHashMap<>(hashes));
    }

    /** Metadata available, no hash given ({@code true} in the index). */
    static CoreMetadata withoutHashes() {
        return new CoreMetadata(Map.of());
    }
}
