package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.Eventually;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What each {@code verify-on-serve} mode guarantees against a process that can write the cache (docs/cache-integrity.md),
 * and what a cached file that cannot be read gives the client.
 */
class CacheIntegrityIT {

    /** The size from the report: large enough that most of it is still on disk, not in socket buffers, mid-transfer. */
    private static final WheelBuilder LARGE = WheelBuilder.wheel("large", "1.0.0").padding(16_000_000, 21);
    private static final String LARGE_PATH = "/packages/large/" + LARGE.fileName();
    private static final WheelBuilder OTHER = WheelBuilder.wheel("other", "1.0.0").padding(100_000, 22);
    private static final String OTHER_PATH = "/packages/other/" + OTHER.fileName();
    /** Bytes the slow client reads before the cached file is changed: the response is under way by then. */
    private static final int READ_BEFORE_CHANGE = 64 * 1024;

    @TempDir
    Path dir;
    private final MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());

    /**
     * Regression (issue 10, item 5): in paranoid mode the cached file was verified and then handed to sendfile, so a
     * byte flipped in it (mtime kept) during a slow client's transfer reached that complete 200 response. The client
     * now receives exactly the verified bytes, sent from a private copy made while verifying.
     */
    @Test
    void paranoidModeSendsExactlyTheVerifiedBytesWhenTheCachedFileChangesDuringTheTransfer() throws Exception {
        try (SignetFixture f = SignetFixture.start(dir, List.of(LARGE), key, Map.of("verify-on-serve", "paranoid"))) {
            byte[] genuine = f.upstreamBytes(LARGE.fileName());
            assertThat(f.get(LARGE_PATH).body()).isEqualTo(genuine);
            Path cached = f.cachedFile("large", LARGE.fileName());
            long flipped = genuine.length - 1000;

            SlowResponse slow = slowGet(f, LARGE_PATH, () -> flipInPlace(cached, flipped));
            assertThat(slow.status()).isEqualTo(200);
            assertThat(slow.body().length).isEqualTo(genuine.length);
            assertThat(firstDifference(slow.body(), genuine)).as("first byte that differs from the verified file").isEqualTo(-1);
            assertThat(privateCopiesLeft(f)).as("the private copy is gone with its transfer").isZero();
            Eventually.await("the private copy closed", Duration.ofSeconds(30), () -> openPrivateCopies() == 0);

            // The changed cached file is found on the next serve, refused, and fetched again.
            HttpResponse<byte[]> next = f.get(LARGE_PATH);
            assertThat(next.body()).isEqualTo(genuine);
            assertThat(next.headers().firstValue("x-signet-cache")).hasValue("miss");
        }
    }

    /**
     * The private copy lives exactly as long as its transfer: a client that goes away mid-transfer, or a request that
     * only needed the head, leaves no copy open (the space of an unlinked file is freed when its last descriptor closes).
     */
    @Test
    void paranoidPrivateCopiesAreClosedWhenTheClientGoesAwayMidTransfer() throws Exception {
        try (SignetFixture f = SignetFixture.start(dir, List.of(LARGE), key, Map.of("verify-on-serve", "paranoid"))) {
            assertThat(f.get(LARGE_PATH).statusCode()).isEqualTo(200);
            for (int i = 0; i < 3; i++) {
                assertThatThrownByAbort(() -> slowGet(f, LARGE_PATH, () -> {
                    assertThat(openPrivateCopies()).as("the copy being sent is open").isPositive();
                    throw new ClientGoesAway();
                }));
            }
            assertThat(f.head(LARGE_PATH).statusCode()).isEqualTo(200);
            assertThat(f.get(LARGE_PATH, "If-None-Match", "\"sha256-" + f.index().sha256(LARGE.fileName()) + "\"")
                    .statusCode()).isEqualTo(304);
            Eventually.await("every private copy closed", Duration.ofSeconds(30), () -> openPrivateCopies() == 0);
        }
    }

    /** Thrown by a mid-transfer step to close the client's socket there. */
    private static final class ClientGoesAway extends RuntimeException {
    }

    private static void assertThatThrownByAbort(IoCall call) throws IOException {
        try {
            call.run();
            throw new AssertionError("the client was meant to go away mid-transfer");
        } catch (ClientGoesAway expected) {
            // the socket was closed by try-with-resources with most of the body unread
        }
    }

    @FunctionalInterface
    private interface IoCall {
        void run() throws IOException;
    }

    /** Descriptors this JVM (where the test's Signet runs) holds on unlinked private copies, from /proc/self/fd. */
    private static long openPrivateCopies() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.contains("/tmp/serve-") && target.endsWith(".copy (deleted)");
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Identity mode serves the cached file itself, so it guarantees less against a writer (documented): a transfer under
     * way may carry bytes written meanwhile (only there: at most the bytes that changed), and the next serve sees the
     * changed identity (ctime changes on every write, whatever the mtime), refuses the file and fetches it again. The
     * cache is owner-only, so such a writer must be Signet's own user or root.
     */
    @Test
    void identityModeCatchesAChangeMadeDuringATransferOnTheNextServe() throws Exception {
        try (SignetFixture f = SignetFixture.start(dir, List.of(LARGE), key, Map.of())) {
            byte[] genuine = f.upstreamBytes(LARGE.fileName());
            assertThat(f.get(LARGE_PATH).body()).isEqualTo(genuine);
            Path cached = f.cachedFile("large", LARGE.fileName());
            long flipped = genuine.length - 1000;

            SlowResponse slow = slowGet(f, LARGE_PATH, () -> flipInPlace(cached, flipped));
            assertThat(slow.status()).isEqualTo(200);
            assertThat(slow.body().length).isEqualTo(genuine.length);
            int differs = firstDifference(slow.body(), genuine);
            assertThat(differs).as("no byte but the one changed on disk can differ").isIn(-1, (int) flipped);
            if (differs >= 0) {
                assertThat(firstDifference(Arrays.copyOfRange(slow.body(), differs + 1, genuine.length),
                        Arrays.copyOfRange(genuine, differs + 1, genuine.length))).isEqualTo(-1);
            }

            HttpResponse<byte[]> next = f.get(LARGE_PATH);
            assertThat(next.body()).isEqualTo(genuine);
            assertThat(next.headers().firstValue("x-signet-cache")).as("refused and fetched again").hasValue("miss");
            assertOwnerOnly(f);
        }
    }

    /**
     * Disk faults: a cached file that cannot be read (here an I/O error on read: the file was replaced by a directory,
     * which opens but fails every read with EISDIR) is answered 503 with a one-line reason and no artifact byte, logged
     * and counted in {@code signet.cache.read.failures}; nothing is fetched or cached in its place, every other artifact
     * is still served, and once the file is readable again it is re-verified and served.
     */
    @ParameterizedTest(name = "verify-on-serve: {0}")
    @ValueSource(strings = {"identity", "paranoid"})
    void aCachedFileThatCannotBeReadIsA503WithAReasonAndEverythingElseIsStillServed(String mode) throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>(Map.of("verify-on-serve", mode, "memory-cache-size", "0"));
        try (SignetFixture f = SignetFixture.start(dir, List.of(LARGE, OTHER), key, settings)) {
            byte[] genuine = f.upstreamBytes(LARGE.fileName());
            assertThat(f.get(LARGE_PATH).body()).isEqualTo(genuine);
            assertThat(f.get(OTHER_PATH).statusCode()).isEqualTo(200);
            Path cached = f.cachedFile("large", LARGE.fileName());
            Files.delete(cached);
            Files.createDirectory(cached);

            for (int i = 0; i < 2; i++) {
                HttpResponse<byte[]> unreadable = f.get(LARGE_PATH);
                String reason = new String(unreadable.body(), StandardCharsets.UTF_8);
                assertThat(unreadable.statusCode()).as(reason).isEqualTo(503);
                assertThat(reason).contains(LARGE.fileName()).contains("cannot be read").contains("I/O error")
                        .doesNotContain(f.cacheDir().toString());
                assertThat(reason.strip()).doesNotContain("\n");
                assertThat(unreadable.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
                assertThat(unreadable.body().length).isLessThan(512);
            }
            assertThat(readFailures(f, "io")).isEqualTo(2);
            assertThat(f.upstream().requestCount("/packages/" + LARGE.fileName())).as("nothing fetched in its place").isEqualTo(1);
            assertThat(privateCopiesLeft(f)).isZero();
            assertThat(f.get(OTHER_PATH).body()).isEqualTo(f.upstreamBytes(OTHER.fileName()));

            Files.delete(cached);
            Files.write(cached, genuine);
            HttpResponse<byte[]> repaired = f.get(LARGE_PATH);
            assertThat(repaired.body()).isEqualTo(genuine);
            assertThat(repaired.headers().firstValue("x-signet-cache")).hasValue("reverified");
        }
    }

    /**
     * As above for permissions. A process that may read any file (root with CAP_DAC_OVERRIDE) cannot be denied, so this
     * is skipped there; run as another user, or as root without that capability
     * ({@code capsh --drop=cap_dac_override,cap_dac_read_search -- -c "mvn ..."}).
     */
    @Test
    void aCachedFileWithoutReadPermissionIsA503WithAReason() throws Exception {
        assumeFalse(readsWhateverTheMode(), "this process can read a file whatever its mode");
        try (SignetFixture f = SignetFixture.start(dir, List.of(OTHER), key, Map.of("memory-cache-size", "0"))) {
            assertThat(f.get(OTHER_PATH).statusCode()).isEqualTo(200);
            Path cached = f.cachedFile("other", OTHER.fileName());
            Files.setPosixFilePermissions(cached, PosixFilePermissions.fromString("---------"));
            HttpResponse<byte[]> denied = f.get(OTHER_PATH);
            assertThat(denied.statusCode()).isEqualTo(503);
            assertThat(new String(denied.body(), StandardCharsets.UTF_8)).contains("permission denied");
            assertThat(denied.body().length).isLessThan(512);
            assertThat(readFailures(f, "permission")).isEqualTo(1);
            assertThat(f.upstream().requestCount("/packages/" + OTHER.fileName())).as("nothing fetched in its place").isEqualTo(1);

            Files.setPosixFilePermissions(cached, PosixFilePermissions.fromString("rw-------"));
            HttpResponse<byte[]> readable = f.get(OTHER_PATH);
            assertThat(readable.body()).isEqualTo(f.upstreamBytes(OTHER.fileName()));
            assertThat(readable.headers().firstValue("x-signet-cache")).as("re-verified once readable").hasValue("reverified");
        }
    }

    private boolean readsWhateverTheMode() throws IOException {
        Path probe = Files.writeString(dir.resolve("probe"), "x");
        Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("---------"));
        try {
            Files.readAllBytes(probe);
            return true;
        } catch (java.nio.file.AccessDeniedException denied) {
            return false;
        } finally {
            Files.delete(probe);
        }
    }

        private static void assertOwnerOnly(SignetFixture f) throws IOException {
        try (Stream<Path> all = Files.walk(f.cacheDir())) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                assertThat(mode).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
            }
        }
    }

    private static double readFailures(SignetFixture f, String reason) {
        return f.signet().metrics().registry().get("signet.cache.read.failures").tag("reason", reason).counter().count();
    }

    private static long privateCopiesLeft(SignetFixture f) throws IOException {
        try (Stream<Path> tmp = Files.list(f.cacheDir().resolve("tmp"))) {
            return tmp.filter(p -> p.getFileName().toString().startsWith("serve-")).count();
        }
    }

    /** Changes one byte of the file in place (same inode) and puts its mtime back, as the report describes. */
    private static void flipInPlace(Path file, long position) {
        try {
            FileTime mtime = Files.getLastModifiedTime(file);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(position);
                int b = raf.read();
                raf.seek(position);
                raf.write(b ^ 0x01);
            }
            Files.setLastModifiedTime(file, mtime);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The index of the first byte where {@code a} and {@code b} differ, -1 when they are equal. */
    private static int firstDifference(byte[] a, byte[] b) {
        return Arrays.mismatch(a, b);
    }

    record SlowResponse(int status, Map<String, String> headers, byte[] body) {}

    /**
     * A client with a small receive window that reads the head and {@link #READ_BEFORE_CHANGE} body bytes, runs
     * {@code midTransfer}, then reads the rest: most of the file is still to be sent when it runs.
     */
    private static SlowResponse slowGet(SignetFixture f, String path, Runnable midTransfer) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), f.signet().address().getPort()));
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: signet\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String[] lines = readHead(in).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            long length = Long.parseLong(headers.get("content-length"));
            ByteArrayOutputStream body = new ByteArrayOutputStream((int) length);
            body.write(in.readNBytes((int) Math.min(READ_BEFORE_CHANGE, length)));
            midTransfer.run();
            body.write(in.readNBytes((int) (length - body.size())));
            return new SlowResponse(status, headers, body.toByteArray());
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        return text.substring(0, text.length() - 4);
    }
}
