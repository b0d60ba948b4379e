package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.DemoProjects;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.testing.RawConnection;
import dev.signet.server.testing.SignetFixture;
import dev.signet.server.testing.TestCertificates;
import dev.signet.sig.MinisignKeyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The public listener's front door under attack and under awkward but valid clients, on raw loopback sockets against a
 * real Signet: request heads split across TCP writes, pipelining, the head limits (414, 431, 408) and the framing
 * refusals (request smuggling shapes), each answered and, for a refusal, followed by the server closing the connection.
 */
class FrontDoorIT {

    private static final String PAGE = "/simple/signet-demo-lib/";
    private static final String HOST = "Host: 127.0.0.1\r\n";

    @TempDir
    static Path dir;
    private static SignetFixture signet;

    @BeforeAll
    static void start() throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        // A short head timeout for the slowloris test; every other head here is sent at once or in quick pieces.
        signet = SignetFixture.start(dir, DemoProjects.demoWheels(), new MinisignArtifactSigner(key.secretKey()),
                key.publicKey().encoded(), Map.of("request-head.timeout", "3s"));
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    private static RawConnection connect() throws IOException {
        return new RawConnection(signet.signet().address().getPort());
    }

    @Test
    @DisplayName("regression: a request head that arrived in two reads was never answered (FlowControlHandler lost the read)")
    void aRequestHeadSplitAcrossTwoWritesIsAnswered() throws Exception {
        try (RawConnection c = connect()) {
            c.write("GET " + PAGE + " HTTP/1.1\r\nHost: x\r\n");
            // Not an assertion: the pause makes the rest of the head a separate read on the server.
            TimeUnit.MILLISECONDS.sleep(200);
            c.write("Accept: */*\r\n\r\n");
            assertThat(c.read("GET").status()).isEqualTo(200);

            // Keep-alive still works after it, for a split head again and for a whole one.
            c.write("GET " + PAGE + " HTT");
            TimeUnit.MILLISECONDS.sleep(200);
            c.write("P/1.1\r\n" + HOST + "\r\n");
            assertThat(c.read("GET").status()).isEqualTo(200);
            assertThat(c.send("GET", PAGE).status()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("regression: a request head sent one byte per TCP segment was never answered")
    void aRequestHeadSentByteByByteIsAnswered() throws Exception {
        try (RawConnection c = connect()) {
            for (byte b : ("GET " + PAGE + " HTTP/1.1\r\n" + HOST + "Accept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII)) {
                c.write(new byte[] {b});
            }
            assertThat(c.read("GET").status()).isEqualTo(200);
            assertThat(c.send("HEAD", PAGE).status()).as("and the connection stays usable").isEqualTo(200);
        }
    }

    @Test
    @DisplayName("regression: a request head over about 2 KB (a 3,000-byte cookie) was never answered")
    void aThreeThousandByteCookieIsAnswered() throws Exception {
        try (RawConnection c = connect()) {
            assertThat(c.send("GET", PAGE, "Cookie: " + "c".repeat(3000)).status()).isEqualTo(200);
            assertThat(c.send("GET", PAGE, "Cookie: " + "c".repeat(3000)).status()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("regression: of 200 pipelined requests only some were answered; now all are, in order")
    void twoHundredPipelinedRequestsAreAllAnsweredInOrder() throws Exception {
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            // Pages answered after an upstream fetch or from memory, mixed with 404s answered at once.
            requests.append("GET ").append(i % 5 == 0 ? PAGE : "/nope-" + i).append(" HTTP/1.1\r\n").append(HOST).append("\r\n");
        }
        try (RawConnection c = connect()) {
            c.write(requests.toString());
            for (int i = 0; i < 200; i++) {
                RawConnection.Response response = c.read("GET");
                if (i % 5 == 0) {
                    assertThat(response.status()).as("response %d", i).isEqualTo(200);
                } else {
                    assertThat(response.status()).as("response %d", i).isEqualTo(404);
                    assertThat(new String(response.body(), StandardCharsets.UTF_8)).as("response %d", i)
                            .isEqualTo("no such path: /nope-" + i + "\n");
                }
            }
            assertThat(c.send("GET", PAGE).status()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("regression: a 100 KB header got no answer and no close; now 431 and a close")
    void aHundredKilobyteHeaderIsRefusedWith431AndClosed() throws Exception {
        assertRefusedAndClosed("GET " + PAGE + " HTTP/1.1\r\n" + HOST + "Cookie: " + "c".repeat(100_000) + "\r\n\r\n", 431);
    }

    @Test
    @DisplayName("regression: 10,000 headers got no answer and no close; now 431 and a close")
    void tenThousandHeadersAreRefusedWith431AndClosed() throws Exception {
        StringBuilder head = new StringBuilder("GET " + PAGE + " HTTP/1.1\r\n" + HOST);
        for (int i = 0; i < 10_000; i++) {
            head.append("X-H").append(i).append(": a\r\n");
        }
        assertRefusedAndClosed(head.append("\r\n").toString(), 431);
    }

    @Test
    void moreHeaderFieldsThanMaxHeadersAreRefusedWith431AndClosed() throws Exception {
        StringBuilder head = new StringBuilder("GET " + PAGE + " HTTP/1.1\r\n" + HOST);
        for (int i = 0; i < 100; i++) {
            // 101 fields with Host, far below the size limit: the count alone refuses it.
            head.append("X-H").append(i).append(": a\r\n");
        }
        assertRefusedAndClosed(head.append("\r\n").toString(), 431);
    }

    @Test
    @DisplayName("regression: a 1 MB URI got no answer and no close; now 414 and a close")
    void aOneMegabyteUriIsRefusedWith414AndClosed() throws Exception {
        assertRefusedAndClosed("GET /simple/" + "a".repeat(1 << 20) + " HTTP/1.1\r\n" + HOST + "\r\n", 414);
    }

    @Test
    @DisplayName("regression: a head sent one byte every 2 s held the connection forever (slowloris); now 408 and a close")
    void aHeadTrickledByteByByteIsRefusedWith408AtTheHeadTimeoutAndClosed() throws Exception {
        try (RawConnection c = connect()) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread trickle = new Thread(() -> {
                byte[] head = ("GET " + PAGE + " HTTP/1.1\r\n" + HOST + "X-Slow: " + "s".repeat(10_000)).getBytes(StandardCharsets.US_ASCII);
                try {
                    for (int i = 0; i < head.length && !stop.get(); i++) {
                        c.write(new byte[] {head[i]});
                        TimeUnit.MILLISECONDS.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // The server closed the connection: what this test waits for.
                }
            }, "slowloris");
            trickle.start();
            try {
                RawConnection.Response response = c.read("GET");
                assertThat(response.status()).isEqualTo(408);
                assertThat(response.header("connection")).isEqualTo("close");
                assertThat(c.closedByServer()).as("closed by the server").isTrue();
            } finally {
                stop.set(true);
                trickle.join(30_000);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("regression: the connection stayed open after a 400 for an ambiguous request (request smuggling)")
    @ValueSource(strings = {
            // CL.TE and TE.CL: a front proxy and Signet could disagree on where the body ends.
            "POST /simple/ HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG",
            "POST /simple/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n",
            // Obfuscated Transfer-Encoding.
            "GET /simple/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n",
            "GET /simple/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n",
            "GET /simple/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
            "GET /simple/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\u000bchunked\r\n\r\n0\r\n\r\n",
            "GET /simple/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
            "GET /simple/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
            // Duplicate Content-Length, equal or not.
            "GET /simple/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
            "GET /simple/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\nabcde",
            "GET /simple/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0, 5\r\n\r\nabcde",
            // A body on a GET: Signet reads none, so it must not treat the bytes as the next request.
            "GET /simple/ HTTP/1.1\r\nHost: x\r\nContent-Length: 37\r\n\r\nGET /simple/ HTTP/1.1\r\nHost: x\r\n\r\n",
            // Not HTTP at all.
            "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n",
    })
    void anAmbiguousOrMalformedRequestIsRefusedWith400AndClosed(String request) throws Exception {
        assertRefusedAndClosed(request, 400);
    }

    @Test
    void aRefusedRequestForAnArtifactFetchesNothingAndCachesNothing() throws Exception {
        String wheel = "signet_demo_utils-1.0.0-py3-none-any.whl";
        assertRefusedAndClosed("GET /packages/signet-demo-utils/" + wheel + " HTTP/1.1\r\n" + HOST
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
        assertRefusedAndClosed("GET /packages/signet-demo-utils/" + wheel + " HTTP/1.1\r\nAccept: */*\r\n\r\n", 400);
        assertThat(signet.upstream().requestCount("/packages/" + wheel)).isZero();
        assertThat(signet.upstream().requestCount("/packages/" + wheel + ".minisig")).isZero();
        assertThat(signet.cachedFile("signet-demo-utils", wheel)).doesNotExist();
    }

    @Test
    @DisplayName("regression: an HTTP/1.1 request without Host was answered 200")
    void anHttp11RequestWithoutHostIsRefusedWith400AndClosed() throws Exception {
        assertRefusedAndClosed("GET " + PAGE + " HTTP/1.1\r\nAccept: */*\r\n\r\n", 400);
    }

    @Test
    void aRequestWithTwoHostHeadersIsRefusedWith400AndClosed() throws Exception {
        assertRefusedAndClosed("GET " + PAGE + " HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
        assertRefusedAndClosed("GET " + PAGE + " HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400);
    }

    @Test
    void anHttp10RequestWithoutHostIsAnswered() throws Exception {
        try (RawConnection c = connect()) {
            c.write("GET " + PAGE + " HTTP/1.0\r\n\r\n");
            assertThat(c.read("GET").status()).isEqualTo(200);
            assertThat(c.closedByServer()).as("HTTP/1.0 without keep-alive").isTrue();
        }
    }

    @Test
    void requestsPipelinedBehindARefusedOneAreNotAnswered() throws Exception {
        try (RawConnection c = connect()) {
            c.write("GET " + PAGE + " HTTP/1.1\r\n" + HOST + "\r\n"
                    + "GET " + PAGE + " HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                    + "GET " + PAGE + " HTTP/1.1\r\n" + HOST + "\r\n");
            assertThat(c.read("GET").status()).isEqualTo(200);
            assertThat(c.read("GET").status()).isEqualTo(400);
            assertThat(c.closedByServer()).as("nothing answered after the refusal").isTrue();
        }
    }

    @Test
    void aMethodOtherThanGetOrHeadWithoutContentIsRefusedWith405AndTheConnectionStaysUsable() throws Exception {
        try (RawConnection c = connect()) {
            c.write("DELETE " + PAGE + " HTTP/1.1\r\n" + HOST + "\r\n");
            assertThat(c.read("DELETE").status()).isEqualTo(405);
            assertThat(c.send("GET", PAGE).status()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("the HTTPS listener: the first request after the handshake, split heads, and a refusal's close")
    void theHttpsListenerAnswersSplitHeadsAndClosesAfterARefusal(@TempDir Path tlsDir) throws Exception {
        TestCertificates certs = TestCertificates.create(tlsDir.resolve("tls"));
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        try (SignetFixture https = SignetFixture.start(tlsDir, DemoProjects.demoWheels(),
                new MinisignArtifactSigner(key.secretKey()), key.publicKey().encoded(), Map.of("https.listen", "127.0.0.1:0",
                        "https.certificate", certs.certificateFile().toString(), "https.private-key", certs.keyFile().toString()))) {
            int port = https.signet().httpsAddress().getPort();
            try (RawConnection c = RawConnection.tls(port, certs.trustingContext())) {
                c.write("GET " + PAGE + " HTTP/1.1\r\nHo");
                TimeUnit.MILLISECONDS.sleep(200);
                c.write("st: x\r\n\r\n");
                assertThat(c.read("GET").status()).isEqualTo(200);
                c.write("GET " + PAGE + " HTTP/1.1\r\n" + HOST + "\r\nGET /nope HTTP/1.1\r\n" + HOST + "\r\n");
                assertThat(c.read("GET").status()).isEqualTo(200);
                assertThat(c.read("GET").status()).isEqualTo(404);
                c.write("GET " + PAGE + " HTTP/1.1\r\nTransfer-Encoding: chunked\r\n" + HOST + "\r\n0\r\n\r\n");
                RawConnection.Response refused = c.read("GET");
                assertThat(refused.status()).isEqualTo(400);
                assertThat(refused.header("connection")).isEqualTo("close");
                assertThat(c.closedByServer()).as("closed by the server").isTrue();
            }
        }
    }

    @Test
    void theAdminListenerAnswersSplitAndPipelinedHeadsInOrder() throws Exception {
        try (RawConnection c = new RawConnection(signet.signet().adminAddress().getPort())) {
            c.write("GET /livez HTTP/1.1\r\nHo");
            TimeUnit.MILLISECONDS.sleep(200);
            c.write("st: x\r\n\r\n");
            assertThat(c.read("GET").status()).isEqualTo(200);
            // Answers are worked out on worker threads; they still go out in request order.
            c.write("GET /metrics HTTP/1.1\r\n" + HOST + "\r\nGET /nope HTTP/1.1\r\n" + HOST + "\r\nGET /livez HTTP/1.1\r\n" + HOST + "\r\n");
            assertThat(c.read("GET").header("content-type")).startsWith("text/plain; version=0.0.4");
            assertThat(c.read("GET").status()).isEqualTo(404);
            assertThat(c.read("GET").status()).isEqualTo(200);
        }
    }

    @Test
    void theAdminListenerHasTheSameHeadRulesAndClosesAfterARefusal() throws Exception {
        int admin = signet.signet().adminAddress().getPort();
        assertRefusedAndClosed(admin, "GET /livez HTTP/1.1\r\nAccept: */*\r\n\r\n", 400);
        assertRefusedAndClosed(admin, "POST /purge/all HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
        assertRefusedAndClosed(admin, "GET /livez HTTP/1.1\r\n" + HOST + "Cookie: " + "c".repeat(100_000) + "\r\n\r\n", 431);
        assertRefusedAndClosed(admin, "GET /" + "a".repeat(1 << 20) + " HTTP/1.1\r\n" + HOST + "\r\n", 414);
    }

    private static void assertRefusedAndClosed(String request, int status) throws IOException {
        assertRefusedAndClosed(signet.signet().address().getPort(), request, status);
    }

    private static void assertRefusedAndClosed(int port, String request, int status) throws IOException {
        try (RawConnection c = new RawConnection(port)) {
            try {
                c.write(request);
            } catch (IOException e) {
                // The server may refuse and close while a large head is still being written; the answer is still there.
            }
            RawConnection.Response response = c.read("GET");
            assertThat(response.status()).isEqualTo(status);
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(c.closedByServer()).as("closed by the server").isTrue();
        }
    }
}
