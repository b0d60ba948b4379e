package dev.signet.server.index;

import dev.signet.index.ProjectPage;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A project page as Signet serves it: the files of every upstream allowed to list the project, merged, with the
 * upstream each file came from (its keys verify the file, its credentials fetch it).
 */
public record MergedPage(ProjectPage page, Map<String, Origin> originByFilename) {

    public MergedPage {
        Objects.requireNonNull(page, "page");
        originByFilename = Map.copyOf(originByFilename);
    }

    public Optional<Origin> originOf(String filename) {
        return Optional.ofNullable(originByFilename.get(filename));
    }
}
