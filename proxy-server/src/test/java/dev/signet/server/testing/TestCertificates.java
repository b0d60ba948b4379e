package dev.signet.server.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away CA and a server certificate for {@code localhost} and {@code 127.0.0.1}, made at test time with
 * Bouncy Castle and written as PEM files: {@code ca.pem}, {@code server.pem} (leaf), {@code server.key} (PKCS#8).
 */
public final class TestCertificates {

    private final Path caFile;
    private final Path certificateFile;
    private final Path keyFile;
    private final X509Certificate serverCertificate;
    private final KeyPair serverKey;
    private final X509Certificate ca;

    private TestCertificates(Path caFile, Path certificateFile, Path keyFile, X509Certificate ca,
                             X509Certificate serverCertificate, KeyPair serverKey) {
        this.caFile = caFile;
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        this.ca = ca;
        this.serverCertificate = serverCertificate;
        this.serverKey = serverKey;
    }

    public static TestCertificates create(Path dir) throws Exception {
        Files.createDirectories(dir);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair caKey = generator.generateKeyPair();
        KeyPair serverKey = generator.generateKeyPair();
        X500Name caName = new X500Name("CN=Signet Test CA");
        Instant now = Instant.now();

        JcaX509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))), caName, caKey.getPublic());
        caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        caBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        // Key identifiers: OpenSSL's strict verification (Python 3.13's default, so pip's) requires them.
        JcaX509ExtensionUtils ids = new JcaX509ExtensionUtils();
        caBuilder.addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(caKey.getPublic()));
        caBuilder.addExtension(Extension.authorityKeyIdentifier, false, ids.createAuthorityKeyIdentifier(caKey.getPublic()));
        X509Certificate ca = certificate(caBuilder.build(signer(caKey)));

        JcaX509v3CertificateBuilder serverBuilder = new JcaX509v3CertificateBuilder(caName, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=localhost"), serverKey.getPublic());
        serverBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        serverBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        serverBuilder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        serverBuilder.addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(serverKey.getPublic()));
        serverBuilder.addExtension(Extension.authorityKeyIdentifier, false, ids.createAuthorityKeyIdentifier(ca));
        serverBuilder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        X509Certificate server = certificate(serverBuilder.build(signer(caKey)));

        Path caFile = dir.resolve("ca.pem");
        Path certFile = dir.resolve("server.pem");
        Path keyFile = dir.resolve("server.key");
        Files.writeString(caFile, pem(ca));
        // The leaf alone, as servers should send it: a client with the root in its bundle (pip's --cert) rejects a
        // chain that carries the self-signed root along ("self-signed certificate in certificate chain").
        Files.writeString(certFile, pem(server));
        Files.writeString(keyFile, pem(new JcaPKCS8Generator(serverKey.getPrivate(), null).generate()));
        return new TestCertificates(caFile, certFile, keyFile, ca, server, serverKey);
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom());
    }

    private static ContentSigner signer(KeyPair key) throws Exception {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate());
    }

    private static X509Certificate certificate(X509CertificateHolder holder) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    public Path caFile() {
        return caFile;
    }

    public Path certificateFile() {
        return certificateFile;
    }

    public Path keyFile() {
        return keyFile;
    }

    public X509Certificate ca() {
        return ca;
    }

    public X509Certificate serverCertificate() {
        return serverCertificate;
    }

    public KeyPair serverKey() {
        return serverKey;
    }

    /** A client TLS context that trusts this CA only. */
    public javax.net.ssl.SSLContext trustingContext() throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }
}
