package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upstream connections are kept alive and reused: sequential misses do not open a connection each. */
class UpstreamKeepAliveIT {

    @Test
    void sequentialFillsReuseUpstreamConnections(@TempDir Path dir) throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        List<WheelBuilder> wheels = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            wheels.add(WheelBuilder.wheel("reuse" + i, "1.0.0").padding(20_000, i));
        }
        try (SignetFixture f = SignetFixture.start(dir, wheels, new MinisignArtifactSigner(key.secretKey()),
                key.publicKey().encoded(), Map.of())) {
            int requests = 0;
            for (WheelBuilder wheel : wheels) {
                String project = wheel.fileName().substring(0, wheel.fileName().indexOf('-'));
                assertThat(f.get("/simple/" + project + "/").statusCode()).isEqualTo(200);
                assertThat(f.get("/packages/" + project + "/" + wheel.fileName()).body())
                        .isEqualTo(f.upstreamBytes(wheel.fileName()));
                requests += 3; // page, signature, artifact
            }
            assertThat(f.upstream().requestCount("/packages/" + wheels.get(0).fileName())).isEqualTo(1);
            assertThat(f.upstream().connectionCount())
                    .as("%d upstream requests over reused connections", requests)
                    .isLessThan(requests / 3);
        }
    }
}
