package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.DemoProjects;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.testing.Pip;
import dev.signet.server.testing.Processes;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client access control on the public port: allowed, refused by network, refused by credentials. */
class AccessControlIT {

    private static final String LIB = "signet_demo_lib-1.2.0-py3-none-any.whl";
    private static final String PATH = "/packages/signet-demo-lib/" + LIB;

    @TempDir
    Path dir;

    private SignetFixture start(Map<String, Object> settings) throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        return SignetFixture.start(dir, DemoProjects.demoWheels(), new MinisignArtifactSigner(key.secretKey()),
                key.publicKey().encoded(), settings);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aClientOutsideTheAllowedNetworksGets403AndNothingElse() throws Exception {
        try (SignetFixture f = start(Map.of("access.allow-networks", List.of("10.0.0.0/8", "fd00::/8")))) {
            HttpResponse<byte[]> refused = f.get(PATH);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(new String(refused.body(), StandardCharsets.UTF_8)).isEqualTo("forbidden: clients from 127.0.0.1 are not allowed\n");
            assertThat(f.get("/simple/").statusCode()).isEqualTo(403);
            assertThat(f.upstream().requestCount("/packages/" + LIB)).as("nothing was fetched for a refused client").isZero();
            assertThat(f.upstream().requestCount("/simple/signet-demo-lib/")).isZero();
        }
    }

    @Test
    void credentialsAreCheckedAgainstBcryptHashes() throws Exception {
        String hash = OpenBSDBCrypt.generate("2y", "correct horse".toCharArray(), new SecureRandom().generateSeed(16), 6);
        try (SignetFixture f = start(Map.of("access.allow-networks", List.of("127.0.0.0/8"),
                "access.users", List.of("alice:" + hash)))) {
            HttpResponse<byte[]> none = f.get(PATH);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("www-authenticate")).hasValue("Basic realm=\"signet\", charset=\"UTF-8\"");
            assertThat(new String(none.body(), StandardCharsets.UTF_8)).isEqualTo("unauthorized: credentials required\n");
            HttpResponse<byte[]> wrong = f.get(PATH, "Authorization", basic("alice", "wrong"));
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(new String(wrong.body(), StandardCharsets.UTF_8)).isEqualTo("unauthorized: wrong user name or password\n");
            assertThat(f.get(PATH, "Authorization", basic("mallory", "correct horse")).statusCode()).isEqualTo(401);
            assertThat(f.get(PATH, "Authorization", "Basic !!!").statusCode()).isEqualTo(401);
            assertThat(f.upstream().requestCount("/packages/" + LIB)).isZero();

            HttpResponse<byte[]> ok = f.get(PATH, "Authorization", basic("alice", "correct horse"));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo(f.upstreamBytes(LIB));

            // Real pip with credentials in the index URL, as users configure it.
            String url = f.simpleUrl().replace("http://", "http://alice:correct%20horse@");
            Processes.Result pip = Pip.install(dir, url, dir.resolve("target"), List.of(), "signet-demo-app");
            assertThat(pip.exitCode()).as(pip.output()).isZero();
            Processes.Result refused = Pip.install(dir, f.simpleUrl(), dir.resolve("refused"), List.of(), "signet-demo-app");
            assertThat(refused.exitCode()).as("pip without credentials fails").isNotZero();
        }
    }
}
