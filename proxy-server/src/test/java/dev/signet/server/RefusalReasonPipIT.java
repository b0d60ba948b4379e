package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.Fault;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Pip;
import dev.signet.server.testing.Processes;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refusal's reason reaches the person at the installer: pip shows only the reason phrase of a {@code 403}
 * (Requests' "403 Client Error: REASON for url"), never the body, so the phrase names the failed check.
 */
class RefusalReasonPipIT {

    private static final String FILE = "victim-1.0.0-py3-none-any.whl";

    @TempDir
    Path dir;
    private SignetFixture f;

    @BeforeEach
    void start() throws Exception {
        MinisignKeyPair trusted = MinisignKeyPair.generate(new SecureRandom());
        f = SignetFixture.start(dir, List.of(WheelBuilder.wheel("victim", "1.0.0")),
                new MinisignArtifactSigner(trusted.secretKey()), trusted.publicKey().encoded(), Map.of());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    @DisplayName("pip's error output names the failed check (it printed only 'HTTP error 403')")
    void pipShowsTheReasonPhraseOfARefusal() throws Exception {
        f.upstream().override("/packages/" + FILE + ".minisig", Fault.status(404));
        Path target = dir.resolve("target");

        Processes.Result pip = Pip.install(dir, f.simpleUrl(), target, List.of(), "victim");

        assertThat(pip.exitCode()).as(pip.output()).isNotZero();
        assertThat(pip.output()).contains("403 Client Error: Signet refused: missing signature for url: ");
        assertThat(target.resolve("victim")).doesNotExist();
    }
}
