package dev.signet.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstore.KeylessVerificationException;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.VerificationOptions;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.bundle.BundleParseException;
import dev.sigstore.rekor.client.RekorEntry;
import dev.sigstore.trustroot.SigstoreConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies a file's PEP 740 provenance the way pypi-attestations does ({@code Attestation.verify}), offline,
 * against a pinned Sigstore trusted root. For every attestation of every bundle, in this order:
 *
 * <ol>
 *   <li>the in-toto statement is about this file: exactly one subject, named exactly as the file, whose sha256 is the
 *       file's, with a statement and predicate type PyPI knows ({@link ProvenanceFailure#SUBJECT});</li>
 *   <li>the Sigstore checks, by sigstore-java's {@link KeylessVerifier} on the attestation turned into a Sigstore
 *       bundle: the certificate chains to a Fulcio CA of the trusted root with a valid SCT, the DSSE signature over
 *       the statement verifies with the certificate's key, and the Rekor entry (its signed entry timestamp,
 *       inclusion proof and checkpoint) is one of the trusted log's and records this signature; then the
 *       certificate was valid at the entry's integrated time, which its signed entry timestamp vouches for
 *       ({@link ProvenanceFailure#SIGNATURE}). Short-lived certificates are judged at that signed time, never the
 *       clock's;</li>
 *   <li>the certificate was issued to the Trusted Publisher the bundle names ({@link ProvenanceFailure#PUBLISHER}).
 *   </li>
 * </ol>
 *
 * One failure refuses the whole provenance. CPU-bound (a few ECDSA checks per attestation): call it off any event
 * loop. Thread-safe.
 */
public final class ProvenanceVerifier {

    /** The public-good Sigstore trusted root shipped in the jar (sigstore/root-signing, targets/trusted_root.json). */
    public static final String BUNDLED_TRUSTED_ROOT = "sigstore-public-good-trusted-root.json";

    static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    static final Set<String> PREDICATE_TYPES = Set.of("https://docs.pypi.org/attestations/publish/v1",
            "https://slsa.dev/provenance/v1");
    private static final String BUNDLE_MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
    private static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

    private final KeylessVerifier sigstore;

    private ProvenanceVerifier(KeylessVerifier sigstore) {
        this.sigstore = sigstore;
    }

    /** A verifier trusting the Sigstore trusted root JSON in {@code trustedRoot} (closed by the caller). */
    public static ProvenanceVerifier trusting(InputStream trustedRoot) throws IOException {
        byte[] json = trustedRoot.readAllBytes();
        TrustedRootProvider provider = () -> dev.sigstore.trustroot.SigstoreTrustedRoot.from(
                new ByteArrayInputStream(json));
        try {
            return new ProvenanceVerifier(KeylessVerifier.builder().trustedRootProvider(provider).build());
        } catch (SigstoreConfigurationException | GeneralSecurityException | RuntimeException e) {
            throw new IOException("not a usable Sigstore trusted root: " + e.getMessage(), e);
        }
    }

    /** A verifier trusting the bundled public-good root ({@link #BUNDLED_TRUSTED_ROOT}). */
    public static ProvenanceVerifier publicGood() throws IOException {
        try (InputStream in = ProvenanceVerifier.class.getResourceAsStream(BUNDLED_TRUSTED_ROOT)) {
            if (in == null) {
                throw new IOException("the bundled trusted root " + BUNDLED_TRUSTED_ROOT + " is missing");
            }
            return trusting(in);
        }
    }

    /**
     * Checks {@code provenance} for the file {@code fileName} whose bytes have SHA-256 {@code sha256Hex}; returns the
     * publishers it was verified for, throws naming the first check that failed. Any Trusted Publisher the
     * provenance names is accepted when its certificates match it.
     */
    public List<TrustedPublisher> verify(Provenance provenance, String fileName, String sha256Hex)
            throws ProvenanceException {
        return verify(provenance, fileName, sha256Hex, List.of());
    }

    /**
     * As {@link #verify(Provenance, String, String)}, and every publisher must also be one of {@code pins} (when
     * there are any): the operator's word on who publishes this project, so a new publisher added on the index (an
     * account takeover adding its own workflow) is refused.
     */
    public List<TrustedPublisher> verify(Provenance provenance, String fileName, String sha256Hex,
            List<PublisherPin> pins) throws ProvenanceException {
        if (!sha256Hex.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("not a sha256: " + sha256Hex);
        }
        byte[] digest = HexFormat.of().parseHex(sha256Hex);
        for (Provenance.AttestationBundle bundle : provenance.bundles()) {
            if (!pins.isEmpty() && pins.stream().noneMatch(pin -> pin.matches(bundle.publisher()))) {
                throw new ProvenanceException(ProvenanceFailure.PUBLISHER, "provenance publisher check failed: "
                        + bundle.publisher().describe() + " is not a publisher pinned for this project " + pins);
            }
        }
        for (Provenance.AttestationBundle bundle : provenance.bundles()) {
            for (Provenance.Attestation attestation : bundle.attestations()) {
                verify(attestation, bundle.publisher(), fileName, sha256Hex.toLowerCase(Locale.ROOT), digest);
            }
        }
        return provenance.bundles().stream().map(Provenance.AttestationBundle::publisher).toList();
    }

    private void verify(Provenance.Attestation attestation, TrustedPublisher publisher, String fileName,
            String sha256Hex, byte[] digest) throws ProvenanceException {
        checkStatement(attestation.statement(), fileName, sha256Hex);
        X509Certificate certificate = certificate(attestation.certificate());
        Bundle bundle = bundle(attestation);
        try {
            sigstore.verify(digest, bundle, VerificationOptions.empty());
        } catch (KeylessVerificationException e) {
            throw signature(e.getMessage() + causes(e));
        } catch (RuntimeException e) {
            throw signature("the Sigstore bundle cannot be checked (" + e + ")");
        }
        checkSignedTime(bundle, certificate);
        Optional<String> mismatch = publisher.mismatch(certificate);
        if (mismatch.isPresent()) {
            throw new ProvenanceException(ProvenanceFailure.PUBLISHER, "provenance publisher check failed: "
                    + mismatch.get());
        }
    }

    /** The in-toto statement, read before any signature check: an attestation of another file fails here. */
    private static void checkStatement(byte[] statementBytes, String fileName, String sha256Hex)
            throws ProvenanceException {
        JsonNode statement;
        try {
            statement = Provenance.json().readTree(statementBytes);
        } catch (IOException e) {
            throw subject("the statement is not JSON");
        }
        if (statement == null || !statement.isObject() || !STATEMENT_TYPE.equals(statement.path("_type").asText())) {
            throw subject("the statement is not an in-toto v1 statement");
        }
        JsonNode subjects = statement.get("subject");
        if (subjects == null || !subjects.isArray() || subjects.size() != 1) {
            throw subject("the statement must have exactly one subject");
        }
        JsonNode subject = subjects.get(0);
        String name = subject.path("name").asText("");
        if (!name.equals(fileName)) {
            throw subject("the attestation is for " + printable(name) + ", not " + fileName);
        }
        String sha256 = subject.path("digest").path("sha256").asText("");
        if (!sha256.equals(sha256Hex)) {
            throw subject("the attestation's sha256 " + printable(sha256) + " is not the file's " + sha256Hex);
        }
        String predicateType = statement.path("predicateType").asText("");
        if (!PREDICATE_TYPES.contains(predicateType)) {
            throw subject("unknown attestation type " + printable(predicateType));
        }
    }

    /** sigstore-java 2.0 checks no signing time itself: the certificate must have been valid when Rekor logged it. */
    private static void checkSignedTime(Bundle bundle, X509Certificate certificate) throws ProvenanceException {
        RekorEntry entry = bundle.getEntries().get(0);
        String set = entry.getVerification().getSignedEntryTimestamp();
        if (set == null || set.isEmpty()) {
            throw signature("the transparency log entry has no signed entry timestamp, so no signed signing time");
        }
        Instant logged = Instant.ofEpochSecond(entry.getIntegratedTime());
        try {
            certificate.checkValidity(Date.from(logged));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw signature("the certificate (valid " + certificate.getNotBefore().toInstant() + " to "
                    + certificate.getNotAfter().toInstant() + ") was not valid when the log entry was made, " + logged);
        }
    }

    private static X509Certificate certificate(byte[] der) throws ProvenanceException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | ClassCastException e) {
            throw Provenance.malformed("the attestation's certificate is not an X.509 certificate");
        }
    }

    /** pypi-attestations' {@code Attestation.to_bundle}: the same material in a Sigstore bundle v0.3. */
    private static Bundle bundle(Provenance.Attestation attestation) throws ProvenanceException {
        ObjectNode root = Provenance.json().createObjectNode();
        root.put("mediaType", BUNDLE_MEDIA_TYPE);
        ObjectNode material = root.putObject("verificationMaterial");
        material.putObject("certificate").put("rawBytes", Base64.getEncoder().encodeToString(attestation.certificate()));
        ArrayNode entries = material.putArray("tlogEntries");
        entries.add(attestation.transparencyEntry());
        ObjectNode envelope = root.putObject("dsseEnvelope");
        envelope.put("payload", Base64.getEncoder().encodeToString(attestation.statement()));
        envelope.put("payloadType", IN_TOTO_PAYLOAD_TYPE);
        envelope.putArray("signatures").addObject().put("sig",
                Base64.getEncoder().encodeToString(attestation.signature()));
        try {
            return Bundle.from(new StringReader(root.toString()));
        } catch (BundleParseException | RuntimeException e) {
            throw Provenance.malformed("the transparency entry is not a Sigstore log entry (" + e.getMessage() + ")");
        }
    }

    private static String causes(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable cause = e.getCause(); cause != null && out.length() < 200; cause = cause.getCause()) {
            out.append(": ").append(cause.getMessage());
        }
        return out.toString();
    }

    private static ProvenanceException subject(String why) {
        return new ProvenanceException(ProvenanceFailure.SUBJECT, "provenance subject check failed: " + why);
    }

    private static ProvenanceException signature(String why) {
        return new ProvenanceException(ProvenanceFailure.SIGNATURE, "provenance signature check failed: "
                + oneLine(why));
    }

    private static String oneLine(String text) {
        String line = String.valueOf(text).replaceAll("[\\r\\n\\t]+", " ").replaceAll("\\p{Cntrl}", "?");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static String printable(String text) {
        return oneLine(text.length() > 120 ? text.substring(0, 120) + "..." : text);
    }
}
