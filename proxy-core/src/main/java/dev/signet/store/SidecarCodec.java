package dev.signet.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Encodes and strictly decodes the sidecar, a small versioned JSON document:
 * <pre>
 * {"format":"signet-artifact","version":1,"project":"...","filename":"...",
 *  "sha256":"...","length":N,"keyId":"...","verifiedAtMillis":N,"signatureFile":"base64",
 *  "identity":{"size":N,"mtimeNanos":N,"ctimeNanos":N,"inode":N}}
 * </pre>
 * The key is repeated inside so that a sidecar renamed or copied next to another file is refused.
 * Decoding accepts exactly this shape: an unknown, missing, duplicated or mistyped field means the
 * file is not ours or is damaged, and a damaged record must never be trusted.
 */
final class SidecarCodec {

    static final String FORMAT = "signet-artifact";
    static final int VERSION = 1;

    /** A sidecar holds at most a base64 signature file of {@link ArtifactRecord#MAX_SIGNATURE_FILE_BYTES} plus ~1 KiB. */
    static final int MAX_SIDECAR_BYTES = 2 * ArtifactRecord.MAX_SIGNATURE_FILE_BYTES;

    private static final Set<String> TOP_FIELDS = Set.of("format", "version", "project", "filename", "sha256",
            "length", "keyId", "verifiedAtMillis", "signatureFile", "identity");
    private static final Set<String> IDENTITY_FIELDS = Set.of("size", "mtimeNanos", "ctimeNanos", "inode");

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private SidecarCodec() {
    }

    static byte[] encode(ArtifactKey key, ArtifactRecord record, FileIdentity identity) {
        ObjectNode root = MAPPER.createObjectNode()
                .put("format", FORMAT)
                .put("version", VERSION)
                .put("project", key.project())
                .put("filename", key.filename())
                .put("sha256", record.sha256Hex())
                .put("length", record.length())
                .put("keyId", record.keyId())
                .put("verifiedAtMillis", record.verifiedAtMillis())
                .put("signatureFile", Base64.getEncoder().encodeToString(record.signatureFile()));
        root.putObject("identity")
                .put("size", identity.size())
                .put("mtimeNanos", identity.mtimeNanos())
                .put("ctimeNanos", identity.ctimeNanos())
                .put("inode", identity.inode());
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialising a tree of strings and numbers cannot fail", e);
        }
    }

    static Sidecar decode(ArtifactKey key, byte[] bytes) throws CorruptSidecarException {
        if (bytes.length > MAX_SIDECAR_BYTES) {
            throw corrupt(key, "is " + bytes.length + " bytes, more than " + MAX_SIDECAR_BYTES);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw corrupt(key, "is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw corrupt(key, "is not a JSON object");
        }
        checkFields(key, root, TOP_FIELDS, "");
        if (!FORMAT.equals(text(key, root, "format"))) {
            throw corrupt(key, "has format " + root.get("format") + ", expected \"" + FORMAT + "\"");
        }
        long version = number(key, root, "version");
        if (version != VERSION) {
            throw corrupt(key, "has version " + version + ", this build reads version " + VERSION);
        }
        if (!key.project().equals(text(key, root, "project")) || !key.filename().equals(text(key, root, "filename"))) {
            throw corrupt(key, "belongs to " + text(key, root, "project") + "/" + text(key, root, "filename"));
        }
        byte[] signatureFile;
        try {
            signatureFile = Base64.getDecoder().decode(text(key, root, "signatureFile"));
        } catch (IllegalArgumentException e) {
            throw corrupt(key, "has a signatureFile that is not base64: " + e.getMessage());
        }
        ArtifactRecord record;
        try {
            record = new ArtifactRecord(text(key, root, "sha256"), number(key, root, "length"),
                    text(key, root, "keyId"), signatureFile, number(key, root, "verifiedAtMillis"));
        } catch (IllegalArgumentException e) {
            throw corrupt(key, "holds an invalid record: " + e.getMessage());
        }
        JsonNode id = root.get("identity");
        if (!id.isObject()) {
            throw corrupt(key, "has an identity that is not a JSON object");
        }
        checkFields(key, id, IDENTITY_FIELDS, "identity.");
        FileIdentity identity = new FileIdentity(number(key, id, "size"), number(key, id, "mtimeNanos"),
                number(key, id, "ctimeNanos"), number(key, id, "inode"));
        if (identity.size() != record.length()) {
            throw corrupt(key, "records length " + record.length() + " but identity size " + identity.size());
        }
        return new Sidecar(record, identity);
    }

    private static void checkFields(ArtifactKey key, JsonNode node, Set<String> expected, String prefix)
            throws CorruptSidecarException {
        Set<String> seen = new HashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!expected.contains(name)) {
                throw corrupt(key, "has unknown field " + prefix + name);
            }
            seen.add(name);
        }
        for (String name : expected) {
            if (!seen.contains(name)) {
                throw corrupt(key, "lacks field " + prefix + name);
            }
        }
    }

    private static String text(ArtifactKey key, JsonNode node, String field) throws CorruptSidecarException {
        JsonNode v = node.get(field);
        if (!v.isTextual()) {
            throw corrupt(key, "has a non-string " + field);
        }
        return v.textValue();
    }

    private static long number(ArtifactKey key, JsonNode node, String field) throws CorruptSidecarException {
        JsonNode v = node.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw corrupt(key, "has a " + field + " that is not a 64-bit integer");
        }
        return v.longValue();
    }

    private static CorruptSidecarException corrupt(ArtifactKey key, String what) {
        return new CorruptSidecarException("sidecar of " + key + " " + what);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
