package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.signet.server.demo.Fault;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.index.IndexService;
import dev.signet.server.testing.Http;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A fixed upstream no longer answers "404 not found upstream" for negative-ttl: on this machine, {@code POST
 * /purge/page/P} clears the remembered 404 without an admin token (none is configured here); everything else still
 * needs one.
 */
class LocalPagePurgeIT {

    @TempDir
    Path dir;
    private SignetFixture f;
    private String admin;

    @BeforeEach
    void start() throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        f = SignetFixture.start(dir, List.of(WheelBuilder.wheel("alpha", "1.0.0")),
                new MinisignArtifactSigner(key.secretKey()), key.publicKey().encoded(), Map.of("negative-ttl", "1h"));
        admin = "http://127.0.0.1:" + f.signet().adminAddress().getPort();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    @DisplayName("a remembered 404 is cleared by a token-less page purge from loopback (purging needed an admin token, off by default)")
    void aLoopbackPagePurgeClearsARemembered404WithoutAToken() throws Exception {
        f.upstream().override("/simple/alpha/", Fault.status(404));
        f.upstream().override("/simple/alpha/index.json", Fault.status(404));
        assertThat(f.get("/simple/alpha/").statusCode()).isEqualTo(404);
        f.upstream().clearOverrides();
        Logger pages = (Logger) LoggerFactory.getLogger(IndexService.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        pages.addAppender(lines);
        HttpResponse<byte[]> remembered;
        try {
            remembered = f.get("/simple/alpha/");
        } finally {
            pages.detachAppender(lines);
        }
        assertThat(remembered.statusCode()).as("the 404 is remembered for negative-ttl").isEqualTo(404);
        assertThat(lines.list).as("the log says the 404 came from the negative cache")
                .anySatisfy(line -> assertThat(line.getFormattedMessage()).startsWith("page alpha: 404 from the negative cache (")
                        .contains("POST /purge/page/alpha on the admin listener forgets it"));

        HttpResponse<String> purged = Http.post(admin + "/purge/page/alpha");

        assertThat(purged.statusCode()).as(purged.body()).isEqualTo(200);
        assertThat(f.get("/simple/alpha/").statusCode()).isEqualTo(200);
    }

    @Test
    void everyOtherPurgeAndABrowsersPagePurgeStillNeedTheToken() throws Exception {
        assertThat(Http.post(admin + "/purge/all").statusCode()).isEqualTo(401);
        assertThat(Http.post(admin + "/purge/artifact/alpha/alpha-1.0.0-py3-none-any.whl").statusCode()).isEqualTo(401);
        HttpResponse<String> fromABrowser = Http.post(admin + "/purge/page/alpha", "Origin", "http://127.0.0.1:" + f.signet().adminAddress().getPort());
        assertThat(fromABrowser.statusCode()).isEqualTo(401);
        assertThat(fromABrowser.body()).contains("no admin-token is configured");
    }
}
