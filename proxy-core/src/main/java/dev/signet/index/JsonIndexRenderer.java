package dev.signet.index;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;

/**
 * Writes PEP 691 JSON pages (with PEP 700, 714 and 740 keys). Every file's {@code url} is what the
 * {@link FileUrlMapper} chose; all hashes upstream gave are kept.
 */
public final class JsonIndexRenderer {

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonIndexRenderer() {}

    public static byte[] renderProject(ProjectPage page, FileUrlMapper mapper) {
        Objects.requireNonNull(page, "page");
        Objects.requireNonNull(mapper, "mapper");
        return write(page.files().size() * 400, json -> {
            json.writeStartObject();
            meta(json, ApiVersion.highestSatisfiedBy(page));
            json.writeStringField(JsonNames.NAME, ProjectName.normalize(page.name()));
            json.writeArrayFieldStart(JsonNames.FILES);
            for (DistributionFile file : page.files()) {
                file(json, file, mapper);
            }
            json.writeEndArray();
            // PEP 700 requires the key for 1.1; below that it is still useful to clients that read it.
            if (!page.versions().isEmpty()) {
                json.writeArrayFieldStart(JsonNames.VERSIONS);
                for (String version : page.versions()) {
                    json.writeString(version);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        });
    }

    public static byte[] renderRoot(ProjectList list) {
        Objects.requireNonNull(list, "list");
        return write(list.projects().size() * 40, json -> {
            json.writeStartObject();
            meta(json, RootVersion.of(list));
            json.writeArrayFieldStart(JsonNames.PROJECTS);
            for (String project : list.projects()) {
                json.writeStartObject();
                json.writeStringField(JsonNames.NAME, project);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static void file(JsonGenerator json, DistributionFile file, FileUrlMapper mapper) throws IOException {
        String url = Objects.requireNonNull(mapper.hrefFor(file), "mapper returned null for " + file.filename());
        json.writeStartObject();
        json.writeStringField(JsonNames.FILENAME, file.filename());
        json.writeStringField(JsonNames.URL, url);
        json.writeFieldName(JsonNames.HASHES);
        hashes(json, file.hashes());
        if (file.requiresPython() != null) {
            json.writeStringField(JsonNames.REQUIRES_PYTHON, file.requiresPython());
        }
        json.writeFieldName(JsonNames.YANKED);
        if (file.yanked() == null) {
            json.writeBoolean(false);
        } else if (file.yanked().hasReason()) {
            json.writeString(file.yanked().reason());
        } else {
            json.writeBoolean(true);
        }
        json.writeFieldName(JsonNames.CORE_METADATA);
        coreMetadata(json, file.coreMetadata());
        json.writeFieldName(JsonNames.DIST_INFO_METADATA);
        coreMetadata(json, file.coreMetadata());
        if (file.size() != null) {
            json.writeNumberField(JsonNames.SIZE, file.size());
        }
        if (file.uploadTime() != null) {
            json.writeStringField(JsonNames.UPLOAD_TIME, file.uploadTime());
        }
        if (file.provenance() != null) {
            json.writeStringField(JsonNames.PROVENANCE, file.provenance());
        }
        json.writeEndObject();
    }

    private static void coreMetadata(JsonGenerator json, CoreMetadata metadata) throws IOException {
        if (metadata == null) {
            json.writeBoolean(false);
        } else if (metadata.hashes().isEmpty()) {
            json.writeBoolean(true);
        } else {
            hashes(json, metadata.hashes());
        }
    }

    private static void hashes(JsonGenerator json, Map<String, String> hashes) throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, String> hash : hashes.entrySet()) {
            json.writeStringField(hash.getKey(), hash.getValue());
        }
        json.writeEndObject();
    }

    private static void meta(JsonGenerator json, ApiVersion version) throws IOException {
        json.writeObjectFieldStart(JsonNames.META);
        json.writeStringField(JsonNames.API_VERSION, version.toString());
        json.writeEndObject();
    }

    private interface Body {
        void writeTo(JsonGenerator json) throws IOException;
    }

    private static byte[] write(int sizeHint, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, Math.min(sizeHint, 1 << 24)));
        try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            body.writeTo(json);
        } catch (IOException e) {
            // Only an in-memory stream is written; an IOException here is a bug, not an input problem.
            throw new UncheckedIOException("rendering JSON into memory failed", e);
        }
        return out.toByteArray();
    }
}
