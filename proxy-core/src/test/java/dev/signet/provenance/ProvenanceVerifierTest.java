package dev.signet.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The verifier against real PyPI provenance signed by Sigstore's public-good instance (test resources, README.md
 * there), offline, with the bundled trusted root. The certificates expired long ago: they pass because they are judged
 * at their Rekor entry's signed time, not today's.
 */
class ProvenanceVerifierTest {

    private static final String SDIST = "pypi_attestations-0.0.19.tar.gz";
    private static final String GITLAB_SDIST = "gitlab_oidc_project-0.0.3.tar.gz";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ProvenanceVerifier verifier;

    @BeforeAll
    static void load() throws IOException {
        verifier = ProvenanceVerifier.publicGood();
    }

    @Test
    void realGitHubProvenanceOfTheRealFileVerifies() throws Exception {
        assertThat(verifier.verify(Provenance.parse(resource(SDIST + ".provenance")), SDIST, sha256(resource(SDIST))))
                .containsExactly(new TrustedPublisher.GitHub("trailofbits/pypi-attestations", "release.yml"));
    }

    @Test
    void realGitLabAttestationVerifiesForItsGitLabPublisher() throws Exception {
        byte[] provenance = wrap(GITLAB_SDIST, "{\"kind\":\"GitLab\",\"repository\":\"facutuesca/gitlab-oidc-project\","
                + "\"workflow_filepath\":\".gitlab-ci.yml\",\"environment\":\"\"}");
        assertThat(verifier.verify(Provenance.parse(provenance), GITLAB_SDIST, sha256(resource(GITLAB_SDIST))))
                .containsExactly(new TrustedPublisher.GitLab("facutuesca/gitlab-oidc-project", ".gitlab-ci.yml"));
    }

    @Test
    void tamperedFileBytesFailTheSubjectDigest() throws Exception {
        byte[] file = resource(SDIST);
        file[file.length / 2] ^= 1;
        assertFails(() -> verifier.verify(Provenance.parse(resource(SDIST + ".provenance")), SDIST, sha256(file)),
                ProvenanceFailure.SUBJECT, "sha256");
    }

    @Test
    void provenanceOfAnotherFileNameFails() throws Exception {
        assertFails(() -> verifier.verify(Provenance.parse(resource(SDIST + ".provenance")),
                "pypi_attestations-0.0.20.tar.gz", sha256(resource(SDIST))), ProvenanceFailure.SUBJECT,
                "is for pypi_attestations-0.0.19.tar.gz, not pypi_attestations-0.0.20.tar.gz");
    }

    @Test
    void alteredStatementFailsTheSignature() throws Exception {
        ObjectNode provenance = provenanceJson();
        ObjectNode envelope = attestation(provenance).with("envelope");
        String statement = new String(Base64.getDecoder().decode(envelope.get("statement").asText()),
                StandardCharsets.UTF_8);
        // Same subject, another predicate: only the signature can tell.
        envelope.put("statement", Base64.getEncoder().encodeToString(
                statement.replace("\"predicate\":null", "\"predicate\":{}").getBytes(StandardCharsets.UTF_8)));
        assertFails(() -> verifier.verify(parse(provenance), SDIST, sha256(resource(SDIST))),
                ProvenanceFailure.SIGNATURE, "signature");
    }

    @Test
    void alteredSignatureFails() throws Exception {
        ObjectNode provenance = provenanceJson();
        ObjectNode envelope = attestation(provenance).with("envelope");
        byte[] signature = Base64.getDecoder().decode(envelope.get("signature").asText());
        signature[signature.length - 3] ^= 1;
        envelope.put("signature", Base64.getEncoder().encodeToString(signature));
        assertFails(() -> verifier.verify(parse(provenance), SDIST, sha256(resource(SDIST))),
                ProvenanceFailure.SIGNATURE, "signature check failed");
    }

    @Test
    void anotherAttestationsCertificateFails() throws Exception {
        ObjectNode provenance = provenanceJson();
        ObjectNode gitlab = (ObjectNode) JSON.readTree(resource(GITLAB_SDIST + ".publish.attestation"));
        attestation(provenance).with("verification_material").set("certificate",
                gitlab.get("verification_material").get("certificate"));
        assertFails(() -> verifier.verify(parse(provenance), SDIST, sha256(resource(SDIST))),
                ProvenanceFailure.SIGNATURE, "signature check failed");
    }

    @Test
    void alteredLogEntryTimeFailsItsSignedEntryTimestamp() throws Exception {
        ObjectNode provenance = provenanceJson();
        ObjectNode entry = (ObjectNode) attestation(provenance).with("verification_material")
                .withArray("transparency_entries").get(0);
        entry.put("integratedTime", String.valueOf(entry.get("integratedTime").asLong() + 3600));
        assertFails(() -> verifier.verify(parse(provenance), SDIST, sha256(resource(SDIST))),
                ProvenanceFailure.SIGNATURE, "log entry");
    }

    @Test
    void logEntryWithoutSignedEntryTimestampHasNoSignedTimeAndIsRefused() throws Exception {
        ObjectNode provenance = provenanceJson();
        ((ObjectNode) attestation(provenance).with("verification_material").withArray("transparency_entries").get(0))
                .remove("inclusionPromise");
        // sigstore-java's bundle reader already refuses an entry without one (ProvenanceVerifier checks again).
        assertFails(() -> verifier.verify(parse(provenance), SDIST, sha256(resource(SDIST))),
                ProvenanceFailure.MALFORMED, "No timestamp verification (set, timestamp) was provided");
    }

    @Test
    void anotherRepositoryAsPublisherFails() throws Exception {
        ObjectNode provenance = provenanceJson();
        publisher(provenance).put("repository", "evil/pypi-attestations");
        assertFails(() -> verifier.verify(parse(provenance), SDIST, sha256(resource(SDIST))),
                ProvenanceFailure.PUBLISHER, "source repository https://github.com/trailofbits/pypi-attestations is not"
                        + " https://github.com/evil/pypi-attestations");
    }

    @Test
    void anotherWorkflowOfTheSameRepositoryFails() throws Exception {
        ObjectNode provenance = provenanceJson();
        publisher(provenance).put("workflow", "other.yml");
        assertFails(() -> verifier.verify(parse(provenance), SDIST, sha256(resource(SDIST))),
                ProvenanceFailure.PUBLISHER, "is not the workflow of GitHub trailofbits/pypi-attestations other.yml");
    }

    @Test
    void gitLabJobIsNotTheGitHubOrGooglePublisherItIsClaimedToBe() throws Exception {
        String sha256 = sha256(resource(GITLAB_SDIST));
        byte[] github = wrap(GITLAB_SDIST, "{\"kind\":\"GitHub\",\"repository\":\"facutuesca/gitlab-oidc-project\","
                + "\"workflow\":\".gitlab-ci.yml\"}");
        assertFails(() -> verifier.verify(Provenance.parse(github), GITLAB_SDIST, sha256), ProvenanceFailure.PUBLISHER,
                "issuer https://gitlab.com is not " + TrustedPublisher.GITHUB_ISSUER);
        byte[] google = wrap(GITLAB_SDIST, "{\"kind\":\"Google\",\"email\":\"release@example.iam.gserviceaccount.com\"}");
        assertFails(() -> verifier.verify(Provenance.parse(google), GITLAB_SDIST, sha256), ProvenanceFailure.PUBLISHER,
                "issuer https://gitlab.com is not " + TrustedPublisher.GOOGLE_ISSUER);
        byte[] otherProject = wrap(GITLAB_SDIST, "{\"kind\":\"GitLab\",\"repository\":\"facutuesca/other\","
                + "\"workflow_filepath\":\".gitlab-ci.yml\"}");
        assertFails(() -> verifier.verify(Provenance.parse(otherProject), GITLAB_SDIST, sha256),
                ProvenanceFailure.PUBLISHER, "is not https://gitlab.com/facutuesca/other");
    }

    @Test
    void pinnedPublishersAcceptTheirOwnAndRefuseAnother() throws Exception {
        Provenance provenance = Provenance.parse(resource(SDIST + ".provenance"));
        String sha256 = sha256(resource(SDIST));
        assertThat(verifier.verify(provenance, SDIST, sha256, List.of(PublisherPin.parse("gitlab:someone/else"),
                PublisherPin.parse("github:TrailOfBits/pypi-attestations")))).hasSize(1);
        assertFails(() -> verifier.verify(provenance, SDIST, sha256, List.of(PublisherPin.parse("github:psf/requests"))),
                ProvenanceFailure.PUBLISHER, "GitHub trailofbits/pypi-attestations release.yml is not a publisher pinned"
                        + " for this project [github:psf/requests]");
    }

    @Test
    void publisherPinsParseOnlyTheThreeKinds() {
        assertThat(PublisherPin.parse("google:Release@Example.iam.gserviceaccount.com").identity())
                .isEqualTo("release@example.iam.gserviceaccount.com");
        assertThat(PublisherPin.parse("gitlab:group/sub/project").kind()).isEqualTo("gitlab");
        for (String bad : List.of("psf/requests", "github:psf", "github:https://github.com/psf/requests",
                "bitbucket:a/b", "google:nobody")) {
            assertThatThrownBy(() -> PublisherPin.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a publisher");
        }
    }

    @Test
    void unknownPublisherKindCannotBeCheckedAndFails() throws Exception {
        ObjectNode provenance = provenanceJson();
        publisher(provenance).put("kind", "Elsewhere");
        assertFails(() -> verifier.verify(parse(provenance), SDIST, sha256(resource(SDIST))),
                ProvenanceFailure.PUBLISHER, "publisher kind Elsewhere cannot be checked");
    }

    @Test
    void aTrustedRootWithoutThePublicGoodInstanceRefusesItsAttestations() throws Exception {
        ProvenanceVerifier staging;
        try (InputStream in = ProvenanceVerifierTest.class.getResourceAsStream("sigstore-staging-trusted-root.json")) {
            staging = ProvenanceVerifier.trusting(in);
        }
        assertFails(() -> staging.verify(Provenance.parse(resource(SDIST + ".provenance")), SDIST,
                sha256(resource(SDIST))), ProvenanceFailure.SIGNATURE, "signature check failed");
    }

    @Test
    void malformedProvenanceIsRefusedAsMalformed() throws Exception {
        ObjectNode versionTwo = provenanceJson().put("version", 2);
        ObjectNode noBundles = provenanceJson();
        noBundles.putArray("attestation_bundles");
        ObjectNode badBase64 = provenanceJson();
        attestation(badBase64).with("envelope").put("signature", "not base64!");
        ObjectNode badCertificate = provenanceJson();
        attestation(badCertificate).with("verification_material").put("certificate", "AAAA");
        for (byte[] bad : new byte[][] {"{".getBytes(StandardCharsets.UTF_8), "[]".getBytes(StandardCharsets.UTF_8),
                JSON.writeValueAsBytes(versionTwo), JSON.writeValueAsBytes(noBundles),
                JSON.writeValueAsBytes(badBase64)}) {
            assertThatThrownBy(() -> Provenance.parse(bad)).isInstanceOfSatisfying(ProvenanceException.class,
                    e -> assertThat(e.failure()).isEqualTo(ProvenanceFailure.MALFORMED));
        }
        assertFails(() -> verifier.verify(parse(badCertificate), SDIST, sha256(resource(SDIST))),
                ProvenanceFailure.MALFORMED, "certificate");
    }

    private static void assertFails(ThrowingCallable call, ProvenanceFailure failure, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ProvenanceException.class, e -> {
            assertThat(e.failure()).as(e.getMessage()).isEqualTo(failure);
            assertThat(e.getMessage()).contains(message).doesNotContain("\n");
        });
    }

    private static ObjectNode provenanceJson() throws IOException {
        return (ObjectNode) JSON.readTree(resource(SDIST + ".provenance"));
    }

    private static ObjectNode publisher(ObjectNode provenance) {
        return (ObjectNode) provenance.withArray("attestation_bundles").get(0).get("publisher");
    }

    private static ObjectNode attestation(ObjectNode provenance) {
        return (ObjectNode) provenance.withArray("attestation_bundles").get(0).withArray("attestations").get(0);
    }

    private static Provenance parse(ObjectNode provenance) throws Exception {
        return Provenance.parse(JSON.writeValueAsBytes(provenance));
    }

    /** A provenance object as PyPI would serve it for one attestation file of pypi-attestations' assets. */
    private static byte[] wrap(String file, String publisher) throws IOException {
        return ("{\"version\":1,\"attestation_bundles\":[{\"publisher\":" + publisher + ",\"attestations\":["
                + new String(resource(file + ".publish.attestation"), StandardCharsets.UTF_8) + "]}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = ProvenanceVerifierTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
