package dev.signet.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.index.ProjectName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads OSV's per-ecosystem export ({@code https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip}): one JSON
 * file per advisory in the OSV schema. Of each advisory it keeps the {@code affected[]} entries whose
 * {@code package.ecosystem} is {@code PyPI}: the package name, the listed {@code versions} and the {@code ECOSYSTEM}
 * (or {@code SEMVER}) {@code ranges}; the severity comes from {@code database_specific.severity} (GitHub's words).
 *
 * <p>All or nothing: any entry that is not a JSON advisory makes the whole archive refused with a message naming the
 * entry, so a truncated or tampered download never replaces a good database with half of one.
 */
public final class OsvArchive {

    /** The largest single advisory read; real ones are a few KiB. */
    static final int MAX_ENTRY_BYTES = 4 << 20;
    /** The most entries read: PyPI's export holds tens of thousands. */
    static final int MAX_ENTRIES = 1_000_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private OsvArchive() {}

    public static List<Advisory> read(InputStream zip) throws OsvFormatException {
        List<Advisory> out = new ArrayList<>();
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(zip)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (entry.isDirectory()) {
                    continue;
                }
                if (++entries > MAX_ENTRIES) {
                    throw new OsvFormatException("more than " + MAX_ENTRIES + " entries; not an OSV export");
                }
                String name = entry.getName();
                if (!name.endsWith(".json")) {
                    throw new OsvFormatException(name + ": not a .json advisory (an OSV export holds only those)");
                }
                out.addAll(advisory(name, bounded(in, name)));
            }
        } catch (IOException e) {
            throw new OsvFormatException("not a readable zip archive: " + e.getMessage(), e);
        }
        if (entries == 0) {
            throw new OsvFormatException("no advisories in the archive (empty, or not a zip file)");
        }
        return out;
    }

    private static byte[] bounded(InputStream in, String name) throws IOException, OsvFormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (out.size() + n > MAX_ENTRY_BYTES) {
                throw new OsvFormatException(name + ": larger than " + (MAX_ENTRY_BYTES >> 20) + " MiB");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    static List<Advisory> advisory(String name, byte[] bytes) throws OsvFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new OsvFormatException(name + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !root.isObject() || !root.path("id").isTextual() || root.path("id").asText().isBlank()) {
            throw new OsvFormatException(name + ": not an OSV advisory (no \"id\")");
        }
        String id = root.get("id").asText();
        JsonNode affected = root.path("affected");
        if (!affected.isMissingNode() && !affected.isArray()) {
            throw new OsvFormatException(name + ": \"affected\" must be a list");
        }
        if (root.has("withdrawn")) {
            // A withdrawn advisory no longer says anything.
            return List.of();
        }
        String severity = root.path("database_specific").path("severity").isTextual()
                ? root.path("database_specific").path("severity").asText() : null;
        if (severity != null && !Advisories.SEVERITIES.contains(severity.toLowerCase(java.util.Locale.ROOT))) {
            severity = null;
        }
        List<Advisory> out = new ArrayList<>();
        for (JsonNode a : affected) {
            JsonNode pkg = a.path("package");
            if (!"PyPI".equals(pkg.path("ecosystem").asText())) {
                continue;
            }
            String project = pkg.path("name").asText();
            if (!ProjectName.isValid(project)) {
                throw new OsvFormatException(name + ": \"" + project + "\" is not a PyPI project name");
            }
            Set<String> versions = new LinkedHashSet<>();
            for (JsonNode v : a.path("versions")) {
                if (!v.isTextual()) {
                    throw new OsvFormatException(name + ": versions must be strings");
                }
                versions.add(Pep440Version.parse(v.asText()).map(Pep440Version::toString).orElse(v.asText()));
            }
            List<List<Advisory.Event>> ranges = new ArrayList<>();
            for (JsonNode range : a.path("ranges")) {
                String type = range.path("type").asText();
                if (!type.equals("ECOSYSTEM") && !type.equals("SEMVER")) {
                    continue;
                }
                if (!range.path("events").isArray()) {
                    throw new OsvFormatException(name + ": a range without an \"events\" list");
                }
                List<Advisory.Event> events = new ArrayList<>();
                for (JsonNode e : range.get("events")) {
                    Advisory.Event event = event(name, e);
                    if (event != null) {
                        events.add(event);
                    }
                }
                ranges.add(events);
            }
            out.add(new Advisory(id, ProjectName.normalize(project), versions, ranges, severity));
        }
        return out;
    }

    private static Advisory.Event event(String name, JsonNode e) throws OsvFormatException {
        if (e.path("introduced").isTextual()) {
            return new Advisory.Event(Advisory.Event.Kind.INTRODUCED, e.get("introduced").asText());
        }
        if (e.path("fixed").isTextual()) {
            return new Advisory.Event(Advisory.Event.Kind.FIXED, e.get("fixed").asText());
        }
        if (e.path("last_affected").isTextual()) {
            return new Advisory.Event(Advisory.Event.Kind.LAST_AFFECTED, e.get("last_affected").asText());
        }
        if (e.path("limit").isTextual()) {
            // A limit bounds where to look, not what is affected; nothing to add for a version check.
            return null;
        }
        throw new OsvFormatException(name + ": a range event must be introduced, fixed, last_affected or limit");
    }
}
