package dev.signet.index;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A project's page in the simple API.
 *
 * @param name       the project name as the caller or upstream gave it
 * @param files      files in upstream order, at most one per filename
 * @param versions   every version upstream lists (PEP 700), empty when upstream gave none
 * @param apiVersion the api-version upstream declared (1.0 when it declared none)
 */
public record ProjectPage(String name, List<DistributionFile> files, List<String> versions, ApiVersion apiVersion) {

    public ProjectPage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(apiVersion, "apiVersion");
        files = List.copyOf(files);
        versions = List.copyOf(versions);
    }

    /** The file of that exact name, if the page lists it. */
    public Optional<DistributionFile> file(String filename) {
        return files.stream().filter(f -> f.filename().equals(filename)).findFirst();
    }
}
