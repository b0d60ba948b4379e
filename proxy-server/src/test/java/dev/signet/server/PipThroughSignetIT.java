package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.DemoProjects;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.testing.Minisign;
import dev.signet.server.testing.Pip;
import dev.signet.server.testing.Processes;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real pip installs wheels with dependencies between them through a real Signet in front of a real signed index on
 * loopback; signatures made by the real minisign tool and by Signet's own signer.
 */
class PipThroughSignetIT {

    private static final String LIB = "signet_demo_lib-1.2.0-py3-none-any.whl";
    private static final String UTILS = "signet_demo_utils-1.0.0-py3-none-any.whl";

    @Test
    void pipInstallsThroughSignetWithMinisignSignedIndexThenFromCacheAfterRestart(@TempDir Path dir) throws Exception {
        Minisign minisign = Minisign.generate(dir.resolve("keys"));
        try (SignetFixture f = SignetFixture.start(dir, DemoProjects.demoWheels(), minisign,
                "@" + minisign.publicKeyFile(), Map.of())) {
            assertInstalls(f, dir.resolve("first"));
            assertThat(f.upstream().requestCount("/packages/" + LIB)).isEqualTo(1);
            assertThat(f.upstream().requestCount("/packages/" + LIB + ".minisig")).isEqualTo(1);
            assertThat(Files.readAllBytes(f.cachedFile("signet-demo-lib", LIB))).isEqualTo(f.upstreamBytes(LIB));

            assertInstalls(f, dir.resolve("second"));
            assertThat(f.upstream().requestCount("/packages/" + LIB)).as("second install is served from the cache").isEqualTo(1);

            f.restart();
            assertInstalls(f, dir.resolve("third"));
            assertThat(f.upstream().requestCount("/packages/" + LIB))
                    .as("after a restart the cached copy is re-verified from disk, not fetched again").isEqualTo(1);
            assertThat(f.upstream().requestCount("/packages/" + UTILS)).isEqualTo(1);
            assertThat(f.upstream().requestCount("/packages/signet_demo_lib-2.0.0-py3-none-any.whl")).isZero();
        }
    }

    @Test
    void pipInstallsAnIndexSignedBySignetsOwnSigner(@TempDir Path dir) throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        try (SignetFixture f = SignetFixture.start(dir, DemoProjects.demoWheels(), new MinisignArtifactSigner(key.secretKey()),
                key.publicKey().encoded(), Map.of())) {
            assertInstalls(f, dir.resolve("target"));
        }
    }

    @Test
    void pagesRewriteEveryFileLinkToSignetAndKeepHashes(@TempDir Path dir) throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        try (SignetFixture f = SignetFixture.start(dir, DemoProjects.demoWheels(), new MinisignArtifactSigner(key.secretKey()),
                key.publicKey().encoded(), Map.of())) {
            HttpResponse<byte[]> page = f.get("/simple/signet-demo-lib/");
            String html = new String(page.body());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(html).contains("href=\"/packages/signet-demo-lib/" + LIB + "#sha256=" + f.index().sha256(LIB) + "\"");
            assertThat(html).doesNotContain(f.upstream().baseUri().toString());

            HttpResponse<byte[]> redirect = f.get("/simple/Signet_Demo.Lib/");
            assertThat(redirect.statusCode()).isEqualTo(301);
            assertThat(redirect.headers().firstValue("location")).hasValue("/simple/signet-demo-lib/");

            assertThat(f.get("/simple/no-such-project/").statusCode()).isEqualTo(404);
            assertThat(f.get("/packages/signet-demo-lib/not-listed-1.0-py3-none-any.whl").statusCode()).isEqualTo(404);
            assertThat(new String(f.get("/simple/").body())).contains("href=\"/simple/signet-demo-lib/\"");
        }
    }

    private static void assertInstalls(SignetFixture f, Path target) throws Exception {
        Files.createDirectories(target);
        Processes.Result pip = Pip.install(target.getParent(), f.simpleUrl(), target, List.of(), "signet-demo-app");
        assertThat(pip.exitCode()).as(pip.output()).isZero();
        assertThat(Files.readString(target.resolve("signet_demo_app/__init__.py"))).contains("\"1.0.0\"");
        assertThat(Files.readString(target.resolve("signet_demo_lib/__init__.py"))).contains("\"1.2.0\"");
        assertThat(Files.readString(target.resolve("signet_demo_utils/__init__.py"))).contains("\"1.0.0\"");
    }
}
