package dev.signet.publish;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one run changes.
 *
 * @param files         distributions to add (file names are their published names)
 * @param yanks         published file name to yank reason ({@code ""} for none), PEP 592
 * @param refreshBefore when present, pages whose signature expires within this much time are re-signed
 */
public record PublishRequest(List<Path> files, Map<String, String> yanks, Optional<Duration> refreshBefore) {

    public PublishRequest {
        files = List.copyOf(files);
        yanks = Map.copyOf(new LinkedHashMap<>(yanks));
        Objects.requireNonNull(refreshBefore, "refreshBefore");
    }

    public static PublishRequest add(List<Path> files) {
        return new PublishRequest(files, Map.of(), Optional.empty());
    }
}
