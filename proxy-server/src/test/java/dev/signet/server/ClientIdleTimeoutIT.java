package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Eventually;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client idle timeout, on connections that carry large answers. Regression for the bug SoakIT found: Signet's idle timer started when the last byte of a response entered the
 * kernel's send buffer, so a slow client that was still reading megabytes of it out of the socket buffers had its
 * keep-alive connection closed one idle timeout later, just as it sent its next request, which got no answer. The
 * connection must stay open while the client still takes delivery (Linux, epoll: the kernel's {@code tcp_info}).
 */
@EnabledOnOs(OS.LINUX)
class ClientIdleTimeoutIT {

    @Test
    void aSlowClientStillReadingTheLastResponseIsNotClosedAsIdle(@TempDir Path dir) throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        WheelBuilder big = WheelBuilder.wheel("drainwheel", "1.0").padding(12L << 20, 5);
        // The shortest idle timeout Signet accepts; the client takes several times that to read the answer.
        try (SignetFixture signet = SignetFixture.start(dir, List.of(big), key, Map.of("client-idle-timeout", "1s"))) {
            String path = "/packages/drainwheel/" + big.fileName();
            assertThat(signet.get(path).statusCode()).as("warm-up fill").isEqualTo(200);
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(signet.upstreamBytes(big.fileName())));

            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(64 << 10);
                socket.setSoTimeout(30_000);
                socket.connect(signet.signet().address());
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                out.write(request(path));
                String head = readHead(in);
                assertThat(head).startsWith("HTTP/1.1 200");
                long length = Long.parseLong(header(head, "content-length"));
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] chunk = new byte[64 << 10];
                long read = 0;
                while (read < length) {
                    int n = in.read(chunk, 0, (int) Math.min(chunk.length, length - read));
                    assertThat(n).as("body bytes after %s of %s", read, length).isPositive();
                    sha.update(chunk, 0, n);
                    read += n;
                    // Pacing, not waiting for a condition: this is the slow client, about 1.3 MB/s, so the last few
                    // MiB, already written to the kernel, take seconds to read.
                    Thread.sleep(50);
                }
                assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(expected);

                // At once, as installers do: the next request on the same connection is answered.
                out.write(request("/simple/drainwheel/"));
                assertThat(readHead(in)).as("the answer to the next request on the kept-alive connection")
                        .startsWith("HTTP/1.1 200");
            }
        }
    }

    @Test
    void aClientThatStopsReadingItsResponseIsGivenUpOnAfterTheIdleTimeout(@TempDir Path dir) throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        WheelBuilder big = WheelBuilder.wheel("stallwheel", "1.0").padding(24L << 20, 6);
        try (SignetFixture signet = SignetFixture.start(dir, List.of(big), key, Map.of("client-idle-timeout", "1s"))) {
            String path = "/packages/stallwheel/" + big.fileName();
            assertThat(signet.get(path).statusCode()).as("warm-up fill").isEqualTo(200);
            // The warm-up's connection closes after its idle second: count from none.
            Eventually.await("no client connection open", Duration.ofSeconds(30),
                    () -> signet.signet().openClientConnections() == 0);
            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(64 << 10);
                socket.setSoTimeout(30_000);
                socket.connect(signet.signet().address());
                InputStream in = socket.getInputStream();
                socket.getOutputStream().write(request(path));
                String head = readHead(in);
                assertThat(head).startsWith("HTTP/1.1 200");
                long length = Long.parseLong(header(head, "content-length"));
                // Read nothing more: the socket buffers fill, the transfer stops, and Signet must give up on it while
                // this client still reads nothing.
                Eventually.await("Signet closed the connection of the client that stopped reading",
                        Duration.ofSeconds(60), () -> signet.signet().openClientConnections() == 0);
                long read = 0;
                byte[] chunk = new byte[256 << 10];
                int n;
                while ((n = in.read(chunk)) > 0) {
                    read += n;
                }
                assertThat(read).as("body bytes before Signet closed the stalled transfer, of %s", length)
                        .isLessThan(length);
            }
        }
    }

    private static byte[] request(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: drain-test\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return "connection closed by Signet after " + head.size() + " bytes of a response head";
    }

    private static String header(String head, String name) {
        return head.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith(name + ":"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElseThrow();
    }
}
