package dev.signet.index;

import java.util.List;
import java.util.Objects;

/**
 * The root page of the simple API.
 *
 * @param projects   project names as upstream lists them (not normalised)
 * @param apiVersion the api-version upstream declared (1.0 when it declared none)
 */
public record ProjectList(List<String> projects, ApiVersion apiVersion) {
    public ProjectList {
        projects = List.copyOf(projects);
        Objects.requireNonNull(apiVersion, "apiVersion");
    }
}
