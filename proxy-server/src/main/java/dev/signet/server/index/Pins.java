package dev.signet.server.index;

import dev.signet.sig.ProjectGlob;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Projects pinned to one upstream (dependency-confusion guard): a pinned project's page and files come from its
 * upstream only, so a same-named project published on another index can never shadow or join it. Patterns are globs
 * over normalized names ({@code *}, {@code ?}); the first matching pattern in configuration order wins.
 */
public final class Pins {

    public static final Pins NONE = new Pins(Map.of());

    private final Map<String, String> upstreamByPattern;

    /** @throws IllegalArgumentException when a pattern is not a normalized-name glob */
    public Pins(Map<String, String> upstreamByPattern) {
        upstreamByPattern.keySet().forEach(ProjectGlob::validate);
        this.upstreamByPattern = new LinkedHashMap<>(upstreamByPattern);
    }

    /** The upstream name a normalized project is pinned to, if any. */
    public Optional<String> upstreamOf(String normalizedProject) {
        for (Map.Entry<String, String> pin : upstreamByPattern.entrySet()) {
            if (ProjectGlob.matches(pin.getKey(), normalizedProject)) {
                return Optional.of(pin.getValue());
            }
        }
        return Optional.empty();
    }

    public Map<String, String> asMap() {
        return Map.copyOf(upstreamByPattern);
    }
}
