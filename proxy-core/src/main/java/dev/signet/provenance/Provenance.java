package dev.signet.provenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A PEP 740 provenance object as PyPI's Integrity API serves it ({@code GET /integrity/<project>/<version>/<file>/
 * provenance}): attestation bundles, each naming the Trusted Publisher that uploaded the file and holding its
 * attestations. Parsing checks the shape only; {@link ProvenanceVerifier} checks the signatures.
 */
public record Provenance(List<AttestationBundle> bundles) {

    /** More than this many attestations in one object is refused: each costs a few signature checks. */
    static final int MAX_ATTESTATIONS = 16;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    public Provenance {
        bundles = List.copyOf(bundles);
    }

    /** The publisher of one set of attestations and the attestations it made. */
    public record AttestationBundle(TrustedPublisher publisher, List<Attestation> attestations) {
        public AttestationBundle {
            attestations = List.copyOf(attestations);
        }
    }

    /**
     * One PEP 740 attestation: a DSSE envelope (the in-toto statement and its signature) with its verification
     * material (the Fulcio certificate, DER, and the Rekor entry in Sigstore's protobuf JSON form).
     */
    public record Attestation(byte[] certificate, ObjectNode transparencyEntry, byte[] statement, byte[] signature) {
    }

    /** Parses the Integrity API's JSON; throws with {@link ProvenanceFailure#MALFORMED} on any deviation. */
    public static Provenance parse(byte[] json) throws ProvenanceException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw malformed("not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw malformed("not JSON");
        }
        if (root == null || !root.isObject()) {
            throw malformed("not a JSON object");
        }
        requireVersion(root, "provenance");
        JsonNode bundles = root.get("attestation_bundles");
        if (bundles == null || !bundles.isArray() || bundles.isEmpty()) {
            throw malformed("no attestation_bundles");
        }
        List<AttestationBundle> out = new ArrayList<>();
        int count = 0;
        for (JsonNode bundle : bundles) {
            if (!bundle.isObject()) {
                throw malformed("an attestation bundle is not an object");
            }
            TrustedPublisher publisher = TrustedPublisher.parse(bundle.get("publisher"));
            JsonNode attestations = bundle.get("attestations");
            if (attestations == null || !attestations.isArray() || attestations.isEmpty()) {
                throw malformed("an attestation bundle has no attestations");
            }
            List<Attestation> parsed = new ArrayList<>();
            for (JsonNode attestation : attestations) {
                if (++count > MAX_ATTESTATIONS) {
                    throw malformed("more than " + MAX_ATTESTATIONS + " attestations");
                }
                parsed.add(attestation(attestation));
            }
            out.add(new AttestationBundle(publisher, parsed));
        }
        return new Provenance(out);
    }

    private static Attestation attestation(JsonNode node) throws ProvenanceException {
        if (!node.isObject()) {
            throw malformed("an attestation is not an object");
        }
        requireVersion(node, "attestation");
        JsonNode material = object(node, "verification_material");
        JsonNode envelope = object(node, "envelope");
        JsonNode entries = material.get("transparency_entries");
        if (entries == null || !entries.isArray() || entries.isEmpty() || !entries.get(0).isObject()) {
            throw malformed("an attestation has no transparency entry");
        }
        return new Attestation(base64(material, "certificate"), (ObjectNode) entries.get(0),
                base64(envelope, "statement"), base64(envelope, "signature"));
    }

    private static void requireVersion(JsonNode node, String what) throws ProvenanceException {
        JsonNode version = node.get("version");
        if (version == null || !version.isIntegralNumber() || version.asInt() != 1) {
            throw malformed(what + " version is not 1");
        }
    }

    private static JsonNode object(JsonNode node, String field) throws ProvenanceException {
        JsonNode value = node.get(field);
        if (value == null || !value.isObject()) {
            throw malformed("an attestation has no " + field);
        }
        return value;
    }

    private static byte[] base64(JsonNode node, String field) throws ProvenanceException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw malformed("an attestation has no " + field);
        }
        try {
            return Base64.getDecoder().decode(value.asText());
        } catch (IllegalArgumentException e) {
            throw malformed("an attestation's " + field + " is not base64");
        }
    }

    static ProvenanceException malformed(String why) {
        return new ProvenanceException(ProvenanceFailure.MALFORMED, "provenance is malformed: " + why);
    }

    /** The JSON mapper of this package (bundle conversion, statements). */
    static ObjectMapper json() {
        return JSON;
    }
}
