package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upstream named by host name, not address: the name goes through the asynchronous resolver that replaced Netty's
 * blocking default (here answered from /etc/hosts, so the test sends no DNS query off the machine).
 */
class UpstreamNameIT {

    @Test
    void upstreamGivenByNameServesPagesAndVerifiedArtifacts(@TempDir Path dir) throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        WheelBuilder wheel = WheelBuilder.wheel("named", "1.0.0").padding(10_000, 3);
        try (SignetFixture f = SignetFixture.start(dir, List.of(wheel), new MinisignArtifactSigner(key.secretKey()),
                key.publicKey().encoded(), Map.of())) {
            String byName = f.upstream().simpleUri().toString().replace("127.0.0.1", "localhost");
            assertThat(byName).startsWith("http://localhost:");
            f.restart(Map.of("upstream", byName));

            assertThat(f.get("/simple/named/").statusCode()).isEqualTo(200);
            assertThat(f.get("/packages/named/" + wheel.fileName()).body()).isEqualTo(f.upstreamBytes(wheel.fileName()));
            assertThat(f.upstream().requestCount("/packages/" + wheel.fileName())).isEqualTo(1);
        }
    }
}
