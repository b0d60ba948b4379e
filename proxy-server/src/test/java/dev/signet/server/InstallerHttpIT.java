package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.http.HttpDates;
import dev.signet.server.demo.DemoProjects;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.testing.RawConnection;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What installers do at the HTTP level, replayed on one raw keep-alive connection and checked header by header:
 * uv's {@code HEAD} then {@code Range} reads of a wheel's central directory, conditional requests, and PEP 691 page
 * negotiation with gzip and ETags.
 */
class InstallerHttpIT {

    private static final String LIB = "signet_demo_lib-1.2.0-py3-none-any.whl";
    private static final String UTILS = "signet_demo_utils-1.0.0-py3-none-any.whl";
    private static final String JSON = "application/vnd.pypi.simple.v1+json";
    private static final String UV_ACCEPT = "Accept: application/vnd.pypi.simple.v1+json, "
            + "application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";
    private static final Set<String> ARTIFACT_HEADERS = Set.of("etag", "last-modified", "cache-control", "accept-ranges",
            "content-type", "content-length", "x-request-id", "x-signet-cache");

    @Test
    void uvHeadThenRangeReadsOfTheCentralDirectory(@TempDir Path dir) throws Exception {
        try (SignetFixture f = fixture(dir); RawConnection uv = new RawConnection(f.signet().address().getPort())) {
            byte[] wheel = f.upstreamBytes(LIB);
            int len = wheel.length;
            String path = "/packages/signet-demo-lib/" + LIB;
            String etag = "\"sha256-" + f.index().sha256(LIB) + "\"";

            RawConnection.Response head = uv.send("HEAD", path, "Accept-Encoding: identity", "User-Agent: uv/0.5.0");
            assertThat(head.status()).as("HEAD of an uncached wheel fills it first").isEqualTo(200);
            assertThat(head.headers().keySet()).containsExactlyInAnyOrderElementsOf(ARTIFACT_HEADERS);
            assertThat(head.header("content-length")).isEqualTo(Integer.toString(len));
            assertThat(head.header("content-type")).isEqualTo("application/zip");
            assertThat(head.header("accept-ranges")).isEqualTo("bytes");
            assertThat(head.header("cache-control")).isEqualTo("max-age=31536000, immutable");
            assertThat(head.header("etag")).isEqualTo(etag);
            String lastModified = head.header("last-modified");
            assertThat(HttpDates.parse(lastModified)).isPresent();
            assertThat(f.upstream().requestCount("/packages/" + LIB)).isEqualTo(1);

            // The end of central directory record lives in the last bytes: uv asks for a tail range first.
            int from = len - 64;
            RawConnection.Response tail = uv.send("GET", path, "Accept-Encoding: identity",
                    "Range: bytes=" + from + "-" + (len - 1));
            assertThat(tail.status()).isEqualTo(206);
            assertThat(tail.headers().keySet()).containsExactlyInAnyOrderElementsOf(with(ARTIFACT_HEADERS, "content-range"));
            assertThat(tail.header("content-range")).isEqualTo("bytes " + from + "-" + (len - 1) + "/" + len);
            assertThat(tail.header("content-length")).isEqualTo("64");
            assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(wheel, from, len));

            RawConnection.Response suffix = uv.send("GET", path, "Range: bytes=-10", "If-Range: " + etag);
            assertThat(suffix.status()).isEqualTo(206);
            assertThat(suffix.header("content-range")).isEqualTo("bytes " + (len - 10) + "-" + (len - 1) + "/" + len);
            assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(wheel, len - 10, len));

            RawConnection.Response start = uv.send("GET", path, "Range: bytes=0-29", "If-Range: " + lastModified);
            assertThat(start.status()).isEqualTo(206);
            assertThat(start.body()).isEqualTo(Arrays.copyOfRange(wheel, 0, 30));

            RawConnection.Response changed = uv.send("GET", path, "Range: bytes=0-29", "If-Range: \"sha256-other\"");
            assertThat(changed.status()).as("If-Range that does not match: the whole file").isEqualTo(200);
            assertThat(changed.body()).isEqualTo(wheel);

            RawConnection.Response beyond = uv.send("GET", path, "Range: bytes=" + len + "-");
            assertThat(beyond.status()).isEqualTo(416);
            assertThat(beyond.header("content-range")).isEqualTo("bytes */" + len);
            assertThat(beyond.header("content-length")).isEqualTo("0");

            RawConnection.Response multi = uv.send("GET", path, "Range: bytes=0-1,4-5");
            assertThat(multi.status()).as("multiple ranges are answered with the whole file").isEqualTo(200);
            assertThat(multi.header("content-range")).isNull();
            assertThat(multi.body()).isEqualTo(wheel);

            RawConnection.Response gzipAsked = uv.send("GET", path, "Accept-Encoding: gzip, br");
            assertThat(gzipAsked.status()).isEqualTo(200);
            assertThat(gzipAsked.headers().keySet()).containsExactlyInAnyOrderElementsOf(ARTIFACT_HEADERS);
            assertThat(gzipAsked.body()).isEqualTo(wheel);

            RawConnection.Response byTag = uv.send("GET", path, "If-None-Match: " + etag);
            assertThat(byTag.status()).isEqualTo(304);
            assertThat(byTag.header("etag")).isEqualTo(etag);
            assertThat(byTag.header("content-encoding")).isNull();
            RawConnection.Response byDate = uv.send("GET", path, "If-Modified-Since: " + lastModified);
            assertThat(byDate.status()).isEqualTo(304);

            // A Range request for an uncached artifact waits for the whole verified fill, then gets its range.
            byte[] utils = f.upstreamBytes(UTILS);
            RawConnection.Response cold = uv.send("GET", "/packages/signet-demo-utils/" + UTILS, "Range: bytes=0-9");
            assertThat(cold.status()).isEqualTo(206);
            assertThat(cold.header("content-range")).isEqualTo("bytes 0-9/" + utils.length);
            assertThat(cold.body()).isEqualTo(Arrays.copyOfRange(utils, 0, 10));
            f.awaitFills();
            assertThat(f.cachedFile("signet-demo-utils", UTILS)).exists();
            assertThat(f.upstream().requestCount("/packages/" + LIB)).as("every read came from the one fill").isEqualTo(1);
        }
    }

    @Test
    void pagesAreNegotiatedCompressedAndConditional(@TempDir Path dir) throws Exception {
        try (SignetFixture f = fixture(dir); RawConnection c = new RawConnection(f.signet().address().getPort())) {
            String page = "/simple/signet-demo-lib/";
            RawConnection.Response json = c.send("GET", page, UV_ACCEPT, "Accept-Encoding: identity");
            assertThat(json.status()).isEqualTo(200);
            assertThat(json.header("content-type")).isEqualTo(JSON);
            assertThat(json.header("vary")).isEqualTo("Accept, Accept-Encoding");
            assertThat(json.header("content-encoding")).isNull();
            assertThat(new String(json.body())).contains("\"api-version\"").contains("/packages/signet-demo-lib/" + LIB);
            String etag = json.header("etag");
            assertThat(etag).matches("\"sha256-[0-9a-f]{64}\"");

            RawConnection.Response gzip = c.send("GET", page, UV_ACCEPT, "Accept-Encoding: gzip, deflate");
            assertThat(gzip.status()).isEqualTo(200);
            assertThat(gzip.header("content-encoding")).isEqualTo("gzip");
            assertThat(gzip.header("vary")).isEqualTo("Accept, Accept-Encoding");
            assertThat(gzip.header("etag")).isNotEqualTo(etag);
            assertThat(new GZIPInputStream(new ByteArrayInputStream(gzip.body())).readAllBytes()).isEqualTo(json.body());

            RawConnection.Response notModified = c.send("GET", page, UV_ACCEPT, "If-None-Match: " + etag);
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.header("etag")).isEqualTo(etag);
            assertThat(notModified.header("vary")).isEqualTo("Accept, Accept-Encoding");
            assertThat(c.send("GET", page, UV_ACCEPT, "If-None-Match: \"sha256-stale\"").status()).isEqualTo(200);

            RawConnection.Response html = c.send("GET", page, "Accept: text/html");
            assertThat(html.header("content-type")).isEqualTo("text/html; charset=utf-8");
            assertThat(html.header("etag")).isNotEqualTo(etag);
            assertThat(new String(html.body())).contains("href=\"/packages/signet-demo-lib/" + LIB + "#sha256=");
            RawConnection.Response v1html = c.send("GET", page, "Accept: application/vnd.pypi.simple.v1+html");
            assertThat(v1html.header("content-type")).startsWith("application/vnd.pypi.simple.v1+html");
            assertThat(v1html.body()).isEqualTo(html.body());
            RawConnection.Response noAccept = c.send("GET", page);
            assertThat(noAccept.header("content-type")).isEqualTo("text/html; charset=utf-8");

            RawConnection.Response overridden = c.send("GET", page + "?format=" + JSON, "Accept: text/html");
            assertThat(overridden.header("content-type")).isEqualTo(JSON);

            RawConnection.Response refused = c.send("GET", page, "Accept: application/json");
            assertThat(refused.status()).isEqualTo(406);
            assertThat(refused.header("vary")).isEqualTo("Accept, Accept-Encoding");
            assertThat(c.send("GET", page + "?format=application/xml").status()).isEqualTo(406);

            RawConnection.Response head = c.send("HEAD", page, UV_ACCEPT);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo(Integer.toString(json.body().length));

            RawConnection.Response root = c.send("GET", "/simple/", UV_ACCEPT);
            assertThat(root.header("content-type")).as(new String(root.body())).isEqualTo(JSON);
            assertThat(new String(root.body())).contains("{\"name\":\"signet-demo-lib\"}");
            assertThat(f.upstream().requestCount(page)).as("one upstream fetch for every form").isEqualTo(1);
        }
        // A malformed Accept is a 400, and like every 400 it ends the connection.
        try (SignetFixture f = fixture(dir.resolve("malformed")); RawConnection c = new RawConnection(f.signet().address().getPort())) {
            assertThat(c.send("GET", "/simple/signet-demo-lib/", "Accept: text/html;q=7").status()).isEqualTo(400);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    private static SignetFixture fixture(Path dir) throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        return SignetFixture.start(dir, DemoProjects.demoWheels(), new MinisignArtifactSigner(key.secretKey()),
                key.publicKey().encoded(), Map.of());
    }

    private static Set<String> with(Set<String> names, String extra) {
        java.util.HashSet<String> all = new java.util.HashSet<>(names);
        all.add(extra);
        return all;
    }
}
