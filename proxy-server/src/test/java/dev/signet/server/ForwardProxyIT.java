package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.events.SignetListener;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.demo.DemoProjects;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.testing.Pip;
import dev.signet.server.testing.Processes;
import dev.signet.server.testing.Eventually;
import dev.signet.server.testing.SignetFixture;
import dev.signet.server.testing.Squid;
import dev.signet.server.testing.TamperingProxy;
import dev.signet.server.testing.TestCertificates;
import dev.signet.server.testing.TlsFront;
import dev.signet.sig.MinisignKeyPair;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream traffic through a forward proxy: a real Squid on loopback for http (absolute-form requests) and https
 * (CONNECT) upstreams, and a proxy that alters artifacts, whose work Signet refuses.
 */
class ForwardProxyIT {

    private static final String LIB = "signet_demo_lib-1.2.0-py3-none-any.whl";

    @TempDir
    Path dir;

    @Test
    void pipInstallsWithEveryUpstreamRequestThroughSquid() throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        try (Squid squid = Squid.start(dir.resolve("squid"));
             SignetFixture f = SignetFixture.start(dir, DemoProjects.demoWheels(), new MinisignArtifactSigner(key.secretKey()),
                     key.publicKey().encoded(), Map.of("upstream-proxy", squid.url()))) {
            Processes.Result pip = Pip.install(dir, f.simpleUrl(), dir.resolve("target"), List.of(), "signet-demo-app");
            assertThat(pip.exitCode()).as(pip.output()).isZero();
            String upstream = f.upstream().baseUri().toString();
            assertThat(squid.accessLog()).as("squid's access log").anyMatch(l -> l.contains("GET " + upstream + "packages/" + LIB + " "))
                    .anyMatch(l -> l.contains("GET " + upstream + "packages/" + LIB + ".minisig"))
                    .anyMatch(l -> l.contains("GET " + upstream + "simple/signet-demo-lib/"));
        }
    }

    @Test
    void httpsUpstreamIsTunnelledThroughSquidWithConnect() throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("tls"));
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        try (Squid squid = Squid.start(dir.resolve("squid"));
             SignetFixture plain = SignetFixture.start(dir, DemoProjects.demoWheels(), new MinisignArtifactSigner(key.secretKey()),
                     key.publicKey().encoded(), Map.of());
             TlsFront front = TlsFront.start(certs, new InetSocketAddress("127.0.0.1", plain.upstream().baseUri().getPort()))) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("listen", "127.0.0.1:0");
            s.put("admin-listen", "127.0.0.1:0");
            s.put("upstream", "https://localhost:" + front.port() + "/simple/");
            s.put("trusted-keys", List.of(key.publicKey().encoded()));
            s.put("cache-dir", dir.resolve("cache2").toString());
            s.put("upstream-ca-bundle", certs.caFile().toString());
            s.put("upstream-proxy", squid.url());
            try (SignetServer signet = SignetServer.start(ConfigLoader.load(null, Map.of(), s), SignetListener.NONE)) {
                HttpResponse<byte[]> ok = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + signet.address().getPort() + "/packages/signet-demo-lib/" + LIB)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(ok.statusCode()).as(new String(ok.body(), StandardCharsets.UTF_8)).isEqualTo(200);
                assertThat(ok.body()).isEqualTo(plain.upstreamBytes(LIB));
            }
            // Squid logs a tunnel when it closes; Signet keeps upstream connections alive until it stops.
            Eventually.await("the CONNECT tunnel in Squid's access log", java.time.Duration.ofSeconds(30), () -> {
                try {
                    return squid.accessLog().stream().anyMatch(l -> l.contains("CONNECT localhost:" + front.port()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    @Test
    void anArtifactAlteredByTheProxyIsRefused() throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        try (TamperingProxy proxy = TamperingProxy.start();
             SignetFixture f = SignetFixture.start(dir, DemoProjects.demoWheels(), new MinisignArtifactSigner(key.secretKey()),
                     key.publicKey().encoded(), Map.of("upstream-proxy", proxy.url()))) {
            HttpResponse<byte[]> refused = f.get("/packages/signet-demo-lib/" + LIB);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains(LIB).contains("bad signature");
            assertThat(proxy.tampered()).isEqualTo(1);
            assertThat(f.cachedFile("signet-demo-lib", LIB)).doesNotExist();
            assertThat(f.cacheFiles()).isEmpty();
            Processes.Result pip = Pip.install(dir, f.simpleUrl(), dir.resolve("target"), List.of(), "signet-demo-app");
            assertThat(pip.exitCode()).as("pip fails instead of installing an altered wheel").isNotZero();
            assertThat(dir.resolve("target").resolve("signet_demo_lib")).doesNotExist();
        }
    }
}
