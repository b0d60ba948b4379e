package dev.signet.index;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One downloadable file of a project page, with everything the simple API says about it.
 *
 * @param filename       the file's name (never a path)
 * @param url            absolute upstream URL, without fragment
 * @param hashes         hash name to lowercase hex digest, in the order upstream gave them
 * @param requiresPython the {@code Requires-Python} specifier as plain (unescaped) text, or null
 * @param yanked         null when not yanked
 * @param coreMetadata   null when the index serves no separate metadata file
 * @param size           size in bytes (PEP 700), or null when unknown
 * @param uploadTime     ISO 8601 upload time as upstream wrote it (PEP 700), or null
 * @param provenance     URL of the PEP 740 provenance object, or null
 */
public record DistributionFile(
        String filename,
        URI url,
        Map<String, String> hashes,
        String requiresPython,
        Yank yanked,
        CoreMetadata coreMetadata,
        Long size,
        String uploadTime,
        String provenance) {

    public DistributionFile {
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(hashes, "hashes");
        if (filename.isEmpty()) {
            throw new IllegalArgumentException("filename is empty");
        }
        if (!url.isAbsolute() || url.getRawFragment() != null) {
            throw new IllegalArgumentException("file url must be absolute and without fragment: " + url);
        }
        if (size != null && size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for " + filename);
        }
        hashes = Collections.unmodifiableMap(new LinkedHashMap<>(hashes));
    }

    /** The SHA-256 digest (lowercase hex) when the index gave one. */
    public Optional<String> sha256() {
        return Optional.ofNullable(hashes.get("sha256"));
    }

    /** This file with other core-metadata information, e.g. null to drop metadata Signet cannot verify. */
    public DistributionFile withCoreMetadata(CoreMetadata m) {
        return new DistributionFile(filename, url, hashes, requiresPython, yanked, m, size, uploadTime, provenance);
    }
}
