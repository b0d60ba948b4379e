package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.Fault;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import dev.signet.sig.MinisignSigner;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per refusal path. Each proves three things: the client got a {@code 403} with a one-line reason and no
 * artifact byte, nothing landed in the cache, and once the upstream is fixed the same request succeeds.
 */
class RefusalIT {

    private static final String PROJECT = "victim";
    private static final String FILE = "victim-1.0.0-py3-none-any.whl";
    private static final String OTHER = "other-1.0.0-py3-none-any.whl";
    private static final String PATH = "/packages/" + PROJECT + "/" + FILE;
    private static final String UPSTREAM = "/packages/" + FILE;

    @TempDir
    Path dir;
    private MinisignKeyPair trusted;
    private SignetFixture f;

    @BeforeEach
    void start() throws Exception {
        trusted = MinisignKeyPair.generate(new SecureRandom());
        f = SignetFixture.start(dir, List.of(
                        WheelBuilder.wheel("victim", "1.0.0").padding(300_000, 7),
                        WheelBuilder.wheel("other", "1.0.0")),
                // Memory tier off: the tests below alter the disk copy, and a verified copy in memory would answer
                // without reading the disk at all (MemoryTierIT covers that case).
                new MinisignArtifactSigner(trusted.secretKey()), trusted.publicKey().encoded(),
                Map.of("memory-cache-size", "0"));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void tamperedArtifactIsRefused() throws Exception {
        byte[] tampered = f.upstreamBytes(FILE);
        tampered[tampered.length / 2] ^= 1;
        f.upstream().override(UPSTREAM, Fault.body(tampered));
        assertRefused("bad signature");
    }

    @Test
    void signatureByUntrustedKeyIsRefused() throws Exception {
        MinisignKeyPair stranger = MinisignKeyPair.generate(new SecureRandom());
        byte[] signature = MinisignSigner.sign(stranger.secretKey(), new ByteArrayInputStream(f.upstreamBytes(FILE)), FILE,
                null, null).encode();
        f.upstream().override(UPSTREAM + ".minisig", Fault.body(signature));
        assertRefused("unknown key");
    }

    @Test
    void missingSignatureIsRefused() throws Exception {
        f.upstream().override(UPSTREAM + ".minisig", Fault.status(404));
        assertRefusedWhileBroken("missing signature");
        assertThat(f.upstream().requestCount(UPSTREAM)).as("refused before downloading the body").isZero();
        fixUpstreamAndServe();
    }

    @Test
    void validSignatureOfAnotherFileIsRefused() throws Exception {
        // A genuine signature by the trusted key, but its trusted comment names another file.
        byte[] otherSignature = Files.readAllBytes(f.index().root().resolve("packages").resolve(OTHER + ".minisig"));
        f.upstream().override(UPSTREAM + ".minisig", Fault.body(otherSignature));
        assertRefused("file name mismatch");
    }

    @Test
    void validlySignedFileWhoseHashDiffersFromTheIndexPageIsRefused() throws Exception {
        // The upstream swapped in other bytes, signed by the trusted key under the same name (a re-upload), while
        // the index page still lists the original sha256: the signature alone would pass, the page's hash does not.
        byte[] other = f.upstreamBytes(FILE).clone();
        other[other.length / 3] ^= 0x55;
        byte[] signature = MinisignSigner.sign(trusted.secretKey(), new ByteArrayInputStream(other), FILE, null, null).encode();
        f.upstream().override(UPSTREAM, Fault.body(other));
        f.upstream().override(UPSTREAM + ".minisig", Fault.body(signature));
        assertRefused("hash mismatch");
    }

    @Test
    void signatureByARevokedKeyIsRefusedAndItsCachedArtifactsAreNotServed() throws Exception {
        assertServedIntact();
        // The operator revokes the key: artifacts it signed are refused, those already cached included.
        f.restart(Map.of("revoked-keys", List.of(trusted.publicKey().keyId().toString())));
        HttpResponse<byte[]> response = f.get(PATH);
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(body).isEqualTo(403);
        assertThat(body).contains(FILE).contains("revoked");
        assertNoArtifactBytes(response);
        assertNothingCached();
    }

    @Test
    void truncatedUpstreamBodyIsRefused() throws Exception {
        f.upstream().override(UPSTREAM, Fault.truncate(100_000));
        assertRefused("truncated");
    }

    @Test
    void cachedFileAlteredOnDiskIsNeverServed() throws Exception {
        assertServedIntact();
        Path cached = f.cachedFile(PROJECT, FILE);
        byte[] altered = Files.readAllBytes(cached);
        altered[altered.length - 100] ^= 1;
        Files.write(cached, altered);

        // The upstream is broken too, so the only way to answer 200 would be to serve the altered copy.
        f.upstream().override(UPSTREAM, Fault.status(503));
        HttpResponse<byte[]> broken = f.get(PATH);
        assertThat(broken.statusCode()).isEqualTo(502);
        assertNoArtifactBytes(broken);
        assertThat(cached).as("the altered copy was removed").doesNotExist();

        f.upstream().clearOverrides();
        assertServedIntact();
        assertThat(f.upstream().requestCount(UPSTREAM)).isEqualTo(3);
    }

    @Test
    void cachedFileAlteredOnDiskIsReverifiedAfterRestart() throws Exception {
        assertServedIntact();
        Path cached = f.cachedFile(PROJECT, FILE);
        byte[] altered = Files.readAllBytes(cached);
        altered[10] ^= 1;
        f.restart();
        // Same size, same inode, mtime restored: only a re-verification can tell.
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(cached);
        Files.write(cached, altered);
        Files.setLastModifiedTime(cached, mtime);

        assertServedIntact();
        assertThat(f.upstream().requestCount(UPSTREAM)).as("the altered copy was dropped and fetched again").isEqualTo(2);
    }

    private void assertRefused(String reason) throws Exception {
        assertRefusedWhileBroken(reason);
        fixUpstreamAndServe();
    }

    private void fixUpstreamAndServe() throws Exception {
        f.upstream().clearOverrides();
        assertServedIntact();
    }

    private void assertRefusedWhileBroken(String reason) throws Exception {
        HttpResponse<byte[]> response = f.get(PATH);
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(body).isEqualTo(403);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
        assertThat(body).contains(FILE).contains(reason);
        assertThat(body.strip()).doesNotContain("\n");
        assertNoArtifactBytes(response);
        assertNothingCached();

        HttpResponse<byte[]> head = f.head(PATH);
        assertThat(head.statusCode()).isEqualTo(403);
        assertNothingCached();
    }

    private static void assertNoArtifactBytes(HttpResponse<byte[]> response) {
        assertThat(response.body().length).isLessThan(1024);
        assertThat(new String(response.body(), StandardCharsets.ISO_8859_1)).doesNotStartWith("PK");
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    }

    private void assertNothingCached() throws Exception {
        assertThat(f.cachedFile(PROJECT, FILE)).doesNotExist();
        assertThat(f.cacheFiles()).as("no temp file or entry left behind").isEmpty();
    }

    private void assertServedIntact() throws Exception {
        HttpResponse<byte[]> ok = f.get(PATH);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo(f.upstreamBytes(FILE));
        assertThat(ok.headers().firstValue("content-encoding")).isEmpty();
        assertThat(f.cachedFile(PROJECT, FILE)).exists();
    }
}
