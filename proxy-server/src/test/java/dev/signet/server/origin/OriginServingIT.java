package dev.signet.server.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.events.SignetListener;
import dev.signet.server.SignetServer;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.demo.StaticIndex;
import dev.signet.server.demo.WheelBuilder;
import dev.signet.server.testing.HttpsPypi;
import dev.signet.server.testing.Minisign;
import dev.signet.server.testing.NoLeaksExtension;
import dev.signet.server.testing.RawConnection;
import dev.signet.sig.MinisignKeyPair;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a signing origin serves besides signed pages and whole files, against a real HTTPS index (test CA) and
 * through a real loopback client: the project list at {@code /simple/} (and what an edge makes of it), and
 * {@code Range} requests on files, as Squid, Varnish and resuming clients send them.
 */
@ExtendWith(NoLeaksExtension.class)
class OriginServingIT {

    private static final WheelBuilder WHEEL = WheelBuilder.wheel("rangeable", "1.0.0").padding(300_000, 41);
    private static final WheelBuilder OTHER = WheelBuilder.wheel("Other_Project", "2.0").padding(1_000, 42);

    @TempDir
    static Path dir;
    static StaticIndex index;
    static HttpsPypi pypi;
    static Minisign originKey;
    static SignetServer origin;
    static URI base;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        MinisignKeyPair upstreamKey = MinisignKeyPair.generate(new SecureRandom());
        index = StaticIndex.build(dir.resolve("pypi"), List.of(WHEEL, OTHER),
                new MinisignArtifactSigner(upstreamKey.secretKey()), false);
        pypi = HttpsPypi.start(dir, index.root());
        originKey = Minisign.generate(dir.resolve("origin-key"));
        Map<String, Object> settings = pypi.originSettings(originKey.secretKeyFile(), dir.resolve("origin-cache"));
        origin = SignetServer.start(ConfigLoader.load(null, Map.of(), settings), SignetListener.NONE,
                InstantSource.system());
        base = URI.create(origin.simpleUrl()).resolve("/");
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {origin, pypi}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private static String wheelName() {
        return index.fileNames().get(0);
    }

    private static byte[] wheelBytes() throws Exception {
        return Files.readAllBytes(index.root().resolve("packages").resolve(wheelName()));
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    // ------------------------------------------------------------------------------------------------ project list

    @Test
    @DisplayName("/simple/ on the origin is the upstream's project list (PEP 503 HTML; PEP 691 JSON at index.json), unsigned, cacheable")
    void theProjectListIsServedInBothFixedForms() throws Exception {
        HttpResponse<byte[]> html = get("/simple/");
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(html.headers().firstValue("Cache-Control")).contains("public, max-age=60");
        assertThat(html.headers().firstValue("Vary")).isEmpty();
        String page = new String(html.body(), StandardCharsets.UTF_8);
        // Links go to the normalized name, the only spelling the origin's page URLs answer.
        assertThat(page).contains("href=\"rangeable/\"").contains("href=\"other-project/\"");
        String etag = html.headers().firstValue("ETag").orElseThrow();
        assertThat(get("/simple/", "If-None-Match", etag).statusCode()).isEqualTo(304);

        HttpResponse<byte[]> json = get("/simple/index.json");
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Content-Type")).contains("application/vnd.pypi.simple.v1+json");
        assertThat(json.headers().firstValue("Vary")).isEmpty();
        assertThat(new String(json.body(), StandardCharsets.UTF_8)).contains("\"name\":\"rangeable\"")
                .contains("\"api-version\"");
        assertThat(get("/simple/index.json.minisig").statusCode()).as("the project list is not signed").isEqualTo(404);
        // Every project it lists has a signed page behind the link.
        assertThat(get("/simple/other-project/index.json").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("an edge with signed-pages: require in front of the origin serves the origin's project list")
    void anEdgeServesTheOriginsProjectList() throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("listen", "127.0.0.1:0");
        settings.put("admin-listen", "127.0.0.1:0");
        settings.put("upstream", origin.simpleUrl());
        settings.put("trusted-keys", List.of("@" + originKey.publicKeyFile()));
        settings.put("page-keys", List.of("@" + originKey.publicKeyFile()));
        settings.put("signed-pages", "require");
        settings.put("cache-dir", dir.resolve("edge-cache").toString());
        try (SignetServer edge = SignetServer.start(ConfigLoader.load(null, Map.of(), settings), SignetListener.NONE,
                InstantSource.system())) {
            HttpResponse<byte[]> root = http.send(HttpRequest.newBuilder(URI.create(edge.simpleUrl()))
                    .header("Accept", "application/vnd.pypi.simple.v1+json").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(root.statusCode()).as(new String(root.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(new String(root.body(), StandardCharsets.UTF_8)).contains("\"name\":\"rangeable\"");
        }
    }

    // ------------------------------------------------------------------------------------------------ ranges

    @Test
    @DisplayName("origin file: a single range is 206 with Content-Range and exactly those bytes (also on the first request)")
    void aSingleRangeIsPartialContent() throws Exception {
        byte[] whole = wheelBytes();
        // The first request for the file is a range: it is published (downloaded, checked, signed), then sliced.
        HttpResponse<byte[]> first = get("/packages/" + wheelName(), "Range", "bytes=100-1123");
        assertThat(first.statusCode()).isEqualTo(206);
        assertThat(first.headers().firstValue("Content-Range")).contains("bytes 100-1123/" + whole.length);
        assertThat(first.headers().firstValue("Content-Length")).contains("1024");
        assertThat(first.headers().firstValue("Accept-Ranges")).contains("bytes");
        assertThat(first.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
        assertThat(first.body()).isEqualTo(Arrays.copyOfRange(whole, 100, 1124));

        HttpResponse<byte[]> suffix = get("/packages/" + wheelName(), "Range", "bytes=-22");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.headers().firstValue("Content-Range"))
                .contains("bytes " + (whole.length - 22) + "-" + (whole.length - 1) + "/" + whole.length);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(whole, whole.length - 22, whole.length));

        HttpResponse<byte[]> open = get("/packages/" + wheelName(), "Range", "bytes=" + (whole.length - 5) + "-");
        assertThat(open.statusCode()).isEqualTo(206);
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(whole, whole.length - 5, whole.length));

        byte[] signature = get("/packages/" + wheelName() + ".minisig").body();
        HttpResponse<byte[]> signaturePart = get("/packages/" + wheelName() + ".minisig", "Range", "bytes=0-9");
        assertThat(signaturePart.statusCode()).isEqualTo(206);
        assertThat(signaturePart.body()).isEqualTo(Arrays.copyOfRange(signature, 0, 10));
        assertThat(pypi.files().requestCount("/packages/" + wheelName())).as("fetched from upstream once").isEqualTo(1);
    }

    @Test
    @DisplayName("origin file: If-Range with the strong ETag gets the range, any other validator the whole file (200)")
    void ifRangeHonoursOnlyTheStrongEtag() throws Exception {
        byte[] whole = wheelBytes();
        HttpResponse<byte[]> full = get("/packages/" + wheelName());
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(full.headers().firstValue("Accept-Ranges")).contains("bytes");
        String etag = full.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).isEqualTo("\"" + index.sha256(wheelName()) + "\"");

        HttpResponse<byte[]> matching = get("/packages/" + wheelName(), "Range", "bytes=0-9", "If-Range", etag);
        assertThat(matching.statusCode()).isEqualTo(206);
        assertThat(matching.body()).isEqualTo(Arrays.copyOfRange(whole, 0, 10));

        HttpResponse<byte[]> other = get("/packages/" + wheelName(), "Range", "bytes=0-9", "If-Range", "\"other\"");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).isEqualTo(whole);
        HttpResponse<byte[]> weak = get("/packages/" + wheelName(), "Range", "bytes=0-9", "If-Range", "W/" + etag);
        assertThat(weak.statusCode()).isEqualTo(200);
        assertThat(weak.body()).isEqualTo(whole);
    }

    @Test
    @DisplayName("origin file: an unsatisfiable range is 416 with Content-Range bytes */length; several ranges get the whole file")
    void unsatisfiableIs416AndMultiRangeIsWhole() throws Exception {
        byte[] whole = wheelBytes();
        HttpResponse<byte[]> beyond = get("/packages/" + wheelName(), "Range", "bytes=" + whole.length + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).contains("bytes */" + whole.length);
        assertThat(beyond.body()).isEmpty();

        HttpResponse<byte[]> several = get("/packages/" + wheelName(), "Range", "bytes=0-1,5-6");
        assertThat(several.statusCode()).isEqualTo(200);
        assertThat(several.headers().firstValue("Content-Range")).isEmpty();
        assertThat(several.body()).isEqualTo(whole);
    }

    @Test
    @DisplayName("origin file: HEAD with a range is 206 with the range's length and no body; the connection stays usable")
    void headWithRange() throws Exception {
        byte[] whole = wheelBytes();
        get("/packages/" + wheelName());
        try (RawConnection connection = new RawConnection(base.getPort())) {
            RawConnection.Response head = connection.send("HEAD", "/packages/" + wheelName(), "Range: bytes=10-19");
            assertThat(head.status()).isEqualTo(206);
            assertThat(head.header("Content-Length")).isEqualTo("10");
            assertThat(head.header("Content-Range")).isEqualTo("bytes 10-19/" + whole.length);
            assertThat(head.body()).isEmpty();
            RawConnection.Response next = connection.send("GET", "/packages/" + wheelName(), "Range: bytes=10-19");
            assertThat(next.status()).isEqualTo(206);
            assertThat(next.body()).isEqualTo(Arrays.copyOfRange(whole, 10, 20));
        }
    }
}
