package dev.signet.server.config;

import dev.signet.provenance.ProvenanceVerifier;
import dev.signet.provenance.PublisherPin;
import java.util.List;
import java.util.Map;

/**
 * How the signing origin treats PyPI's PEP 740 provenance ({@code origin.provenance*}, docs/deploy.md).
 *
 * @param mode              off, verify (refuse a file whose provenance fails) or require (also refuse one without)
 * @param trustedRootSource where the Sigstore trusted root came from, for log lines (a path, or the bundled one)
 * @param verifier          the verifier over that trusted root; {@code null} when {@code mode} is off
 * @param pins              per normalized project name, the publishers its files must come from; a pinned project
 *                          must have provenance even under verify
 */
public record ProvenanceConfig(Mode mode, String trustedRootSource, ProvenanceVerifier verifier,
        Map<String, List<PublisherPin>> pins) {

    public enum Mode { OFF, VERIFY, REQUIRE }

    public static final ProvenanceConfig OFF = new ProvenanceConfig(Mode.OFF, "", null, Map.of());

    public ProvenanceConfig {
        pins = Map.copyOf(pins);
    }

    public boolean enabled() {
        return mode != Mode.OFF;
    }

    /** Whether a file of {@code project} without provenance is refused. */
    public boolean required(String project) {
        return mode == Mode.REQUIRE || (mode == Mode.VERIFY && pins.containsKey(project));
    }

    public List<PublisherPin> pins(String project) {
        return pins.getOrDefault(project, List.of());
    }
}
