package dev.signet.provenance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

/**
 * The OIDC claims Fulcio writes into a signing certificate (its OID list: github.com/sigstore/fulcio, docs/oid-info.md):
 * who the workload was that asked for the certificate. Read the way pypi-attestations reads them, with Bouncy Castle.
 */
final class FulcioClaims {

    /** 1.3.6.1.4.1.57264.1.1, the first issuer extension: raw UTF-8 bytes, not DER. */
    static final String ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";
    /** 1.3.6.1.4.1.57264.1.8 and later: a DER UTF8String inside the extension. */
    static final String ISSUER = "1.3.6.1.4.1.57264.1.8";
    static final String SOURCE_REPOSITORY_URI = "1.3.6.1.4.1.57264.1.12";
    static final String SOURCE_REPOSITORY_DIGEST = "1.3.6.1.4.1.57264.1.13";
    static final String SOURCE_REPOSITORY_REF = "1.3.6.1.4.1.57264.1.14";
    static final String BUILD_CONFIG_URI = "1.3.6.1.4.1.57264.1.18";

    private final X509Certificate certificate;

    FulcioClaims(X509Certificate certificate) {
        this.certificate = certificate;
    }

    /** The claim {@code oid} (1.8 and later), or empty when the certificate has none or it is not a string. */
    Optional<String> claim(String oid) {
        byte[] extension = certificate.getExtensionValue(oid);
        if (extension == null) {
            return Optional.empty();
        }
        try {
            byte[] inner = ASN1OctetString.getInstance(extension).getOctets();
            ASN1Primitive value = ASN1Primitive.fromByteArray(inner);
            return value instanceof ASN1String text ? Optional.of(text.getString()) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The OIDC issuer: the DER claim, or the first extension's raw bytes in certificates that have only that. */
    Optional<String> issuer() {
        Optional<String> issuer = claim(ISSUER);
        if (issuer.isPresent()) {
            return issuer;
        }
        byte[] extension = certificate.getExtensionValue(ISSUER_V1);
        if (extension == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(ASN1OctetString.getInstance(extension).getOctets(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The subject alternative names that are e-mail addresses (rfc822Name, type 1) or URIs (type 6). */
    List<String> subjectAlternativeNames() {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            return names.stream().filter(name -> name.size() == 2 && name.get(1) instanceof String)
                    .filter(name -> Integer.valueOf(1).equals(name.get(0)) || Integer.valueOf(6).equals(name.get(0)))
                    .map(name -> (String) name.get(1)).toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }
}
