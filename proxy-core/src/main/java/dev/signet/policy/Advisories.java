package dev.signet.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The imported advisories and which of them block: {@code MAL-*} (a known-malicious release) always; any other only
 * when its id is listed or its severity is at least the configured one. Immutable; a new import replaces it whole.
 */
public final class Advisories {

    /** Severities in OSV/GitHub order; {@code off} blocks none by severity. */
    public static final List<String> SEVERITIES = List.of("low", "moderate", "high", "critical");

    public static final Advisories NONE = new Advisories(List.of(), null, Set.of());

    private final Map<String, List<Advisory>> byProject = new HashMap<>();
    private final int size;
    private final String blockSeverity;
    private final Set<String> blockIds;

    /**
     * @param blockSeverity the lowest severity of a non-malicious advisory that blocks, or null for none
     * @param blockIds      ids of non-malicious advisories that block whatever their severity
     */
    public Advisories(Collection<Advisory> advisories, String blockSeverity, Set<String> blockIds) {
        if (blockSeverity != null && !SEVERITIES.contains(blockSeverity.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("severity must be one of " + SEVERITIES + " or off, got " + blockSeverity);
        }
        for (Advisory a : advisories) {
            byProject.computeIfAbsent(a.project(), p -> new ArrayList<>()).add(a);
        }
        this.size = advisories.size();
        this.blockSeverity = blockSeverity == null ? null : blockSeverity.toLowerCase(Locale.ROOT);
        this.blockIds = Set.copyOf(blockIds);
    }

    /** The same advisories under other blocking settings (a config reload keeps the imported database). */
    public Advisories withBlocking(String severity, Set<String> ids) {
        return new Advisories(all(), severity, ids);
    }

    public int size() {
        return size;
    }

    public List<Advisory> all() {
        return byProject.values().stream().flatMap(List::stream).toList();
    }

    /** The first blocking advisory naming this version of {@code project}, or null. */
    public Advisory blocking(String project, String version) {
        List<Advisory> candidates = byProject.get(project);
        if (candidates == null) {
            return null;
        }
        for (Advisory a : candidates) {
            if (blocks(a) && a.affects(version)) {
                return a;
            }
        }
        return null;
    }

    private boolean blocks(Advisory a) {
        if (a.malicious() || blockIds.contains(a.id())) {
            return true;
        }
        return blockSeverity != null && a.severity() != null && SEVERITIES.contains(a.severity())
                && SEVERITIES.indexOf(a.severity()) >= SEVERITIES.indexOf(blockSeverity);
    }
}
