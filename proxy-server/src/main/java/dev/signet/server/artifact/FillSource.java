package dev.signet.server.artifact;

import dev.signet.index.DistributionFile;
import dev.signet.server.index.MergedPage;
import dev.signet.server.index.Origin;
import dev.signet.store.ArtifactKey;
import java.net.URI;
import java.util.Optional;

/**
 * Where a fill fetches an artifact from and what the index promised about it. A listed file is itself; a PEP 658
 * metadata file {@code FILE.metadata} exists only when the page lists {@code FILE} with core-metadata, lives at the
 * file's URL plus {@code .metadata}, and must match the core-metadata SHA-256 when the index gave one. Either way the
 * keys of the upstream that listed the file verify it.
 */
record FillSource(URI url, String sha256, Long size, Origin origin) {

    static final String METADATA_SUFFIX = ".metadata";

    static FillSource resolve(MergedPage merged, ArtifactKey key) throws ArtifactNotListedException {
        String filename = key.filename();
        Optional<DistributionFile> listed = merged.page().file(filename);
        if (listed.isPresent()) {
            DistributionFile file = listed.get();
            return new FillSource(file.url(), file.sha256().orElse(null), file.size(), origin(merged, filename));
        }
        if (filename.endsWith(METADATA_SUFFIX)) {
            String artifact = filename.substring(0, filename.length() - METADATA_SUFFIX.length());
            Optional<DistributionFile> owner = merged.page().file(artifact);
            if (owner.isPresent() && owner.get().coreMetadata() != null) {
                DistributionFile file = owner.get();
                return new FillSource(metadataUrl(file), file.coreMetadata().hashes().get("sha256"), null,
                        origin(merged, artifact));
            }
            throw new ArtifactNotListedException("not found: the page of " + key.project() + " offers no metadata file "
                    + filename);
        }
        throw new ArtifactNotListedException("not found: " + filename + " is not listed on the page of " + key.project());
    }

    /** PEP 658: the metadata file's URL is the distribution file's URL with {@code .metadata} appended. */
    static URI metadataUrl(DistributionFile file) {
        return URI.create(file.url() + METADATA_SUFFIX);
    }

    private static Origin origin(MergedPage merged, String filename) {
        return merged.originOf(filename).orElseThrow(() -> new IllegalStateException(
                "merged page lists " + filename + " without its upstream"));
    }
}
