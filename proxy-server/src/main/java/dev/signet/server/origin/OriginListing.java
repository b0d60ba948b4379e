package dev.signet.server.origin;

import dev.signet.index.CoreMetadata;
import dev.signet.index.DistributionFile;
import dev.signet.index.ProjectPage;
import dev.signet.publish.DistributionName;
import dev.signet.publish.PublishException;
import dev.signet.server.config.ProvenanceConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the origin lists and signs for one upstream page, decided from the page alone: a file is listed only when the
 * upstream gives its sha256, its name is a wheel or sdist name of this project, and its URL passes the
 * {@link FileHostPolicy}. Everything else is left off the signed page (an installer then picks another file instead
 * of failing on a refused one) and remembered with its reason, so a direct request for it is refused with that reason.
 * A wheel's PEP 658 metadata is listed only with its own sha256; without one the page drops {@code core-metadata} and
 * installers read the (signed) wheel instead.
 *
 * @param files    the listed files as the signed page shows them (hashes: sha256 only, no provenance)
 * @param sources  every servable name (files and their {@code .metadata}) with where it comes from
 * @param refusals names left off, with the reason
 */
record OriginListing(List<DistributionFile> files, Map<String, Source> sources, Map<String, String> refusals) {

    static final String METADATA_SUFFIX = ".metadata";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /**
     * Where one servable file comes from, the hash its bytes must have, and where its PEP 740 provenance is
     * ({@code null}: the page links none).
     */
    record Source(String name, URI url, String sha256, URI provenance) {
    }

    static OriginListing of(String project, ProjectPage upstream, FileHostPolicy hosts) {
        return of(project, upstream, hosts, ProvenanceConfig.OFF);
    }

    /** As {@link #of(String, ProjectPage, FileHostPolicy)}; files without provenance where it is required are left off. */
    static OriginListing of(String project, ProjectPage upstream, FileHostPolicy hosts, ProvenanceConfig provenance) {
        List<DistributionFile> files = new ArrayList<>();
        Map<String, Source> sources = new HashMap<>();
        Map<String, String> refusals = new LinkedHashMap<>();
        for (DistributionFile file : upstream.files()) {
            String name = file.filename();
            URI provenanceUrl = provenanceUrl(file);
            Optional<String> refused = refusal(project, file, hosts)
                    .or(() -> OriginProvenance.listingRefusal(provenance, project, provenanceUrl));
            if (sources.containsKey(name)) {
                refused = Optional.of("listed twice on the upstream page");
            }
            if (refused.isPresent()) {
                refusals.putIfAbsent(name, refused.get());
                continue;
            }
            String sha256 = sha256(file.hashes()).orElseThrow();
            sources.put(name, new Source(name, file.url(), sha256, provenanceUrl));
            CoreMetadata metadata = null;
            Optional<String> metadataSha = file.coreMetadata() == null ? Optional.empty()
                    : sha256(file.coreMetadata().hashes());
            if (metadataSha.isPresent() && name.endsWith(".whl")) {
                metadata = new CoreMetadata(Map.of("sha256", metadataSha.get()));
                // PEP 658: the metadata file is at the file's URL with ".metadata" appended.
                sources.put(name + METADATA_SUFFIX, new Source(name + METADATA_SUFFIX,
                        URI.create(withoutFragment(file.url()) + METADATA_SUFFIX), metadataSha.get(), null));
            }
            files.add(new DistributionFile(name, file.url(), Map.of("sha256", sha256), file.requiresPython(),
                    file.yanked(), metadata, file.size(), file.uploadTime(), null));
        }
        files.sort(java.util.Comparator.comparing(DistributionFile::filename));
        return new OriginListing(List.copyOf(files), Map.copyOf(sources), Map.copyOf(refusals));
    }

    private static Optional<String> refusal(String project, DistributionFile file, FileHostPolicy hosts) {
        if (sha256(file.hashes()).isEmpty()) {
            return Optional.of("the upstream page gives no sha256 for it");
        }
        try {
            DistributionName name = DistributionName.parse(file.filename());
            if (!name.project().equals(project)) {
                return Optional.of("its name is of project " + name.project() + ", not " + project);
            }
        } catch (PublishException e) {
            return Optional.of(e.getMessage());
        }
        return hosts.refusal(file.url());
    }

    private static Optional<String> sha256(Map<String, String> hashes) {
        String value = hashes == null ? null : hashes.get("sha256");
        if (value == null) {
            return Optional.empty();
        }
        String hex = value.toLowerCase(Locale.ROOT);
        return SHA256.matcher(hex).matches() ? Optional.of(hex) : Optional.empty();
    }

    /** The page's provenance link as given (relative ones are resolved against the page by the fetch); {@code null}
     * when none or unusable. */
    private static URI provenanceUrl(DistributionFile file) {
        if (file.provenance() == null || file.provenance().isBlank()) {
            return null;
        }
        try {
            return new URI(file.provenance().trim());
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String withoutFragment(URI url) {
        String text = url.toString();
        int hash = text.indexOf('#');
        return hash < 0 ? text : text.substring(0, hash);
    }
}
