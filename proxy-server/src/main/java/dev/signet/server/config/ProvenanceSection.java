package dev.signet.server.config;

import dev.signet.index.ProjectName;
import dev.signet.provenance.ProvenanceVerifier;
import dev.signet.provenance.PublisherPin;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code origin.provenance}, {@code origin.provenance-trusted-root} and {@code origin.provenance-publishers}.
 * The trusted root is read and parsed now, so an unreadable or foreign one is reported with every other error.
 */
final class ProvenanceSection {

    static final String MODE = "origin.provenance";
    static final String TRUSTED_ROOT = "origin.provenance-trusted-root";
    static final String PUBLISHERS = "origin.provenance-publishers";
    private static final long MAX_TRUSTED_ROOT = 1024 * 1024;

    private final ConfigLoader loader;
    private final Map<String, Object> values;

    ProvenanceSection(ConfigLoader loader, Map<String, Object> values) {
        this.loader = loader;
        this.values = values;
    }

    static void addDefaults(Map<String, String> d) {
        d.put(MODE, "off");
        d.put(TRUSTED_ROOT, "");
        d.put(PUBLISHERS, "");
    }

    /** {@code null} after an error. */
    ProvenanceConfig read() {
        ProvenanceConfig.Mode mode = loader.parse(values, MODE, ProvenanceSection::parseMode);
        Map<String, List<PublisherPin>> pins = pins(values.get(PUBLISHERS));
        Object rawRoot = values.get(TRUSTED_ROOT);
        String rootFile = rawRoot == null ? "" : rawRoot.toString().trim();
        if (mode == null || pins == null) {
            return null;
        }
        if (mode == ProvenanceConfig.Mode.OFF) {
            return ProvenanceConfig.OFF;
        }
        try {
            if (rootFile.isEmpty()) {
                return new ProvenanceConfig(mode, "the bundled Sigstore public-good root",
                        ProvenanceVerifier.publicGood(), pins);
            }
            Path path = Path.of(rootFile);
            if (Files.size(path) > MAX_TRUSTED_ROOT) {
                loader.error(TRUSTED_ROOT + ": " + path + " is larger than a trusted root (" + MAX_TRUSTED_ROOT
                        + " bytes)");
                return null;
            }
            try (InputStream in = Files.newInputStream(path)) {
                return new ProvenanceConfig(mode, path.toString(), ProvenanceVerifier.trusting(in), pins);
            }
        } catch (NoSuchFileException e) {
            loader.error(TRUSTED_ROOT + ": " + rootFile + ": no such file");
        } catch (IOException e) {
            loader.error(TRUSTED_ROOT + ": " + (rootFile.isEmpty() ? "the bundled root" : rootFile) + ": "
                    + e.getMessage());
        }
        return null;
    }

    /** {@code PROJECT=KIND:IDENTITY} entries, several per project allowed; {@code null} after an error. */
    private Map<String, List<PublisherPin>> pins(Object raw) {
        Map<String, List<PublisherPin>> out = new LinkedHashMap<>();
        if (raw == null || (raw instanceof String s && s.isBlank())) {
            return out;
        }
        List<?> items = raw instanceof List<?> list ? list : ConfigLoader.splitList(raw.toString());
        boolean ok = true;
        for (Object item : items) {
            String text = String.valueOf(item).trim();
            int equals = text.indexOf('=');
            String project = equals < 0 ? "" : text.substring(0, equals).trim();
            if (!ProjectName.isValid(project)) {
                loader.error(PUBLISHERS + ": '" + text + "' is not PROJECT=PUBLISHER (e.g. requests=github:psf/requests)");
                ok = false;
                continue;
            }
            try {
                out.computeIfAbsent(ProjectName.normalize(project), p -> new ArrayList<>())
                        .add(PublisherPin.parse(text.substring(equals + 1)));
            } catch (IllegalArgumentException e) {
                loader.error(PUBLISHERS + ": " + e.getMessage());
                ok = false;
            }
        }
        out.replaceAll((project, list) -> List.copyOf(list));
        return ok ? out : null;
    }

    static ProvenanceConfig.Mode parseMode(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "off" -> ProvenanceConfig.Mode.OFF;
            case "verify" -> ProvenanceConfig.Mode.VERIFY;
            case "require" -> ProvenanceConfig.Mode.REQUIRE;
            default -> throw new IllegalArgumentException("expected off, verify or require, got '" + text + "'");
        };
    }
}
