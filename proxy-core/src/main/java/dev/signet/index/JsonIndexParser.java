package dev.signet.index;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads PEP 691 JSON pages (with PEP 700, 714 and 740 keys). The shape is checked strictly: a key of the
 * wrong type fails the page with a message naming it. Keys this parser does not know are ignored, as
 * PEP 691 asks of clients.
 */
public final class JsonIndexParser {

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonIndexParser() {}

    /** Parses a project page; relative file URLs resolve against {@code pageUrl}. */
    public static ProjectPage parseProject(byte[] json, URI pageUrl) throws IndexFormatException {
        Hrefs.requireAbsolute(pageUrl);
        JsonNode root = readObject(json);
        ApiVersion apiVersion = apiVersion(root);
        String name = requiredText(root, JsonNames.NAME, "project page");
        FileCollector files = new FileCollector(pageUrl.toString());
        JsonNode fileNodes = root.get(JsonNames.FILES);
        if (fileNodes == null || !fileNodes.isArray()) {
            throw new IndexFormatException("project page: \"files\" must be an array, got " + describe(fileNodes));
        }
        for (int i = 0; i < fileNodes.size(); i++) {
            files.add(toFile(fileNodes.get(i), pageUrl, "files[" + i + "]"));
        }
        return new ProjectPage(name, files.files(), versions(root), apiVersion);
    }

    /** Parses the root page: {@code projects[].name}. */
    public static ProjectList parseRoot(byte[] json) throws IndexFormatException {
        JsonNode root = readObject(json);
        ApiVersion apiVersion = apiVersion(root);
        JsonNode projectNodes = root.get(JsonNames.PROJECTS);
        if (projectNodes == null || !projectNodes.isArray()) {
            throw new IndexFormatException("root page: \"projects\" must be an array, got " + describe(projectNodes));
        }
        List<String> projects = new ArrayList<>(projectNodes.size());
        for (int i = 0; i < projectNodes.size(); i++) {
            JsonNode project = projectNodes.get(i);
            String where = "projects[" + i + "]";
            if (!project.isObject()) {
                throw new IndexFormatException(where + " must be an object, got " + describe(project));
            }
            projects.add(requiredText(project, JsonNames.NAME, where));
        }
        return new ProjectList(projects, apiVersion);
    }

    private static JsonNode readObject(byte[] json) throws IndexFormatException {
        Objects.requireNonNull(json, "json");
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IndexFormatException("not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                            + " column " + e.getLocation().getColumnNr()), e);
        } catch (IOException e) {
            throw new IndexFormatException("not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new IndexFormatException("empty JSON document");
        }
        if (!root.isObject()) {
            throw new IndexFormatException("JSON page must be an object, got " + describe(root));
        }
        return root;
    }

    /** PEP 691 makes {@code meta.api-version} mandatory in JSON. */
    private static ApiVersion apiVersion(JsonNode root) throws IndexFormatException {
        JsonNode meta = root.get(JsonNames.META);
        if (meta == null || !meta.isObject()) {
            throw new IndexFormatException("\"meta\" must be an object, got " + describe(meta));
        }
        return ApiVersion.parseSupported(requiredText(meta, JsonNames.API_VERSION, "meta"));
    }

    private static List<String> versions(JsonNode root) throws IndexFormatException {
        JsonNode node = root.get(JsonNames.VERSIONS);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IndexFormatException("\"versions\" must be an array of strings, got " + describe(node));
        }
        List<String> versions = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode version = node.get(i);
            if (!version.isTextual()) {
                throw new IndexFormatException("versions[" + i + "] must be a string, got " + describe(version));
            }
            versions.add(version.textValue());
        }
        return versions;
    }

    private static DistributionFile toFile(JsonNode node, URI pageUrl, String where) throws IndexFormatException {
        if (!node.isObject()) {
            throw new IndexFormatException(where + " must be an object, got " + describe(node));
        }
        String filename = FileCollector.requireSafeFilename(requiredText(node, JsonNames.FILENAME, where), where);
        String place = where + " (" + filename + ")";
        String rawUrl = requiredText(node, JsonNames.URL, place);
        Hrefs.Split link;
        try {
            link = Hrefs.resolve(pageUrl, rawUrl);
        } catch (URISyntaxException e) {
            throw new IndexFormatException(place + ": unparseable url \"" + rawUrl + "\": " + e.getReason(), e);
        }
        Map<String, String> hashes = hashObject(node.get(JsonNames.HASHES), place + " hashes", true);
        // A hash in the url fragment is still a hash; the explicit "hashes" object wins on conflict.
        Digests.fromFragment(link.fragment(), place).forEach(hashes::putIfAbsent);
        return new DistributionFile(
                filename,
                link.target(),
                hashes,
                optionalText(node, JsonNames.REQUIRES_PYTHON, place),
                yank(node.get(JsonNames.YANKED), place),
                coreMetadata(node, place),
                size(node.get(JsonNames.SIZE), place),
                optionalText(node, JsonNames.UPLOAD_TIME, place),
                optionalText(node, JsonNames.PROVENANCE, place));
    }

    /** {@code false}/absent: not yanked; {@code true}: yanked without reason; a string: the reason. */
    private static Yank yank(JsonNode node, String where) throws IndexFormatException {
        if (node == null || node.isNull() || (node.isBoolean() && !node.booleanValue())) {
            return null;
        }
        if (node.isBoolean()) {
            return new Yank("");
        }
        if (node.isTextual()) {
            return new Yank(node.textValue());
        }
        throw new IndexFormatException(where + ": \"yanked\" must be a boolean or string, got " + describe(node));
    }

    /** PEP 714: {@code core-metadata} wins; {@code dist-info-metadata} is the legacy fallback. */
    private static CoreMetadata coreMetadata(JsonNode file, String where) throws IndexFormatException {
        String key = file.has(JsonNames.CORE_METADATA) ? JsonNames.CORE_METADATA : JsonNames.DIST_INFO_METADATA;
        JsonNode node = file.get(key);
        if (node == null || node.isNull() || (node.isBoolean() && !node.booleanValue())) {
            return null;
        }
        if (node.isBoolean()) {
            return CoreMetadata.withoutHashes();
        }
        if (node.isObject()) {
            return new CoreMetadata(hashObject(node, where + " " + key, false));
        }
        throw new IndexFormatException(where + ": \"" + key + "\" must be a boolean or an object of hashes, got "
                + describe(node));
    }

    private static Map<String, String> hashObject(JsonNode node, String where, boolean required)
            throws IndexFormatException {
        Map<String, String> hashes = new LinkedHashMap<>();
        if (node == null && !required) {
            return hashes;
        }
        if (node == null || !node.isObject()) {
            throw new IndexFormatException(where + " must be an object, got " + describe(node));
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new IndexFormatException(where + ": \"" + entry.getKey() + "\" must be a hex string, got "
                        + describe(entry.getValue()));
            }
            Digests.put(hashes, entry.getKey(), entry.getValue().textValue(), where);
        }
        return hashes;
    }

    private static Long size(JsonNode node, String where) throws IndexFormatException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw new IndexFormatException(where + ": \"size\" must be a non-negative integer, got " + describe(node));
        }
        return node.longValue();
    }

    private static String requiredText(JsonNode object, String key, String where) throws IndexFormatException {
        JsonNode node = object.get(key);
        if (node == null || !node.isTextual() || node.textValue().isEmpty()) {
            throw new IndexFormatException(where + ": \"" + key + "\" must be a non-empty string, got " + describe(node));
        }
        return node.textValue();
    }

    private static String optionalText(JsonNode object, String key, String where) throws IndexFormatException {
        JsonNode node = object.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IndexFormatException(where + ": \"" + key + "\" must be a string, got " + describe(node));
        }
        return node.textValue().isEmpty() ? null : node.textValue();
    }

    /** A short, single-line description of a node for error messages. */
    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        String kind = node.getNodeType().name().toLowerCase(Locale.ROOT);
        return kind + " " + (text.length() > 60 ? text.substring(0, 57) + "..." : text);
    }
}
