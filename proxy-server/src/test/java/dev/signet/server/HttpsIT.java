package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.events.SignetListener;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.demo.DemoProjects;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.testing.Pip;
import dev.signet.server.testing.Processes;
import dev.signet.server.testing.SignetFixture;
import dev.signet.server.testing.TestCertificates;
import dev.signet.server.testing.TlsFront;
import dev.signet.sig.MinisignKeyPair;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS on both sides: Signet's HTTPS listener with real pip trusting a test CA, and an https:// upstream. */
class HttpsIT {

    private static final String LIB = "signet_demo_lib-1.2.0-py3-none-any.whl";

    @Test
    void pipInstallsOverSignetsHttpsListener(@TempDir Path dir) throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("tls"));
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        try (SignetFixture f = SignetFixture.start(dir, DemoProjects.demoWheels(), new MinisignArtifactSigner(key.secretKey()),
                key.publicKey().encoded(), Map.of("https.listen", "127.0.0.1:0",
                        "https.certificate", certs.certificateFile().toString(),
                        "https.private-key", certs.keyFile().toString()))) {
            String https = "https://localhost:" + f.signet().httpsAddress().getPort();

            Processes.Result pip = Pip.install(dir, https + "/simple/", dir.resolve("target"),
                    List.of("--cert", certs.caFile().toString()), "signet-demo-app");
            assertThat(pip.exitCode()).as(pip.output()).isZero();
            assertThat(dir.resolve("target").resolve("signet_demo_lib")).exists();

            Processes.Result untrusted = Pip.install(dir, https + "/simple/", dir.resolve("untrusted"), List.of(),
                    "signet-demo-app");
            assertThat(untrusted.exitCode()).as("pip without the CA refuses the certificate").isNotZero();
            assertThat(untrusted.output()).containsIgnoringCase("certificate");

            // Behind TLS, byte for byte: in chunks from disk (no sendfile) with the memory tier off, and from memory.
            HttpClient client = HttpClient.newBuilder().sslContext(certs.trustingContext()).build();
            URI lib = URI.create(https + "/packages/signet-demo-lib/" + LIB);
            f.awaitFills();
            long memoryHits = f.signet().memory().hits();
            HttpResponse<byte[]> whole = client.send(HttpRequest.newBuilder(lib).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.body()).isEqualTo(f.upstreamBytes(LIB));
            HttpResponse<byte[]> range = client.send(HttpRequest.newBuilder(lib).header("Range", "bytes=10-109").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(f.upstreamBytes(LIB), 10, 110));
            assertThat(f.signet().memory().hits()).isEqualTo(memoryHits + 2);

            f.restart(Map.of("memory-cache-size", "0"));
            String again = "https://localhost:" + f.signet().httpsAddress().getPort();
            HttpResponse<byte[]> fromDisk = client.send(HttpRequest.newBuilder(URI.create(again + "/packages/signet-demo-lib/" + LIB)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(fromDisk.statusCode()).isEqualTo(200);
            assertThat(fromDisk.body()).isEqualTo(f.upstreamBytes(LIB));
            assertThat(f.signet().memory().hits()).isZero();
            assertThat(f.get("/packages/signet-demo-lib/" + LIB).statusCode()).as("plain listener still serves").isEqualTo(200);
        }
    }

    @Test
    void httpsUpstreamTrustedThroughTheConfiguredCaBundle(@TempDir Path dir) throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("tls"));
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        try (SignetFixture plain = SignetFixture.start(dir, DemoProjects.demoWheels(), new MinisignArtifactSigner(key.secretKey()),
                key.publicKey().encoded(), Map.of());
             TlsFront front = TlsFront.start(certs, new InetSocketAddress("127.0.0.1", plain.upstream().baseUri().getPort()))) {
            String upstream = "https://localhost:" + front.port() + "/simple/";

            try (SignetServer trusting = server(dir.resolve("c1"), upstream, key, certs.caFile().toString())) {
                HttpResponse<byte[]> ok = get(trusting, "/packages/signet-demo-lib/" + LIB);
                assertThat(ok.statusCode()).isEqualTo(200);
                assertThat(ok.body()).isEqualTo(plain.upstreamBytes(LIB));
            }
            try (SignetServer systemTrust = server(dir.resolve("c2"), upstream, key, "")) {
                HttpResponse<byte[]> refused = get(systemTrust, "/packages/signet-demo-lib/" + LIB);
                assertThat(refused.statusCode()).as("the test CA is not in the system trust store").isEqualTo(502);
            }
        }
    }

    private static SignetServer server(Path cache, String upstream, MinisignKeyPair key, String caBundle) throws Exception {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("listen", "127.0.0.1:0");
        s.put("admin-listen", "127.0.0.1:0");
        s.put("upstream", upstream);
        s.put("trusted-keys", List.of(key.publicKey().encoded()));
        s.put("cache-dir", cache.toString());
        s.put("upstream-ca-bundle", caBundle);
        return SignetServer.start(ConfigLoader.load(null, Map.of(), s), SignetListener.NONE);
    }

    private static HttpResponse<byte[]> get(SignetServer server, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.address().getPort() + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
