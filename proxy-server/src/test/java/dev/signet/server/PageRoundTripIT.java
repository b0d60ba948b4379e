package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.events.SignetListener;
import dev.signet.index.DistributionFile;
import dev.signet.index.HtmlIndexParser;
import dev.signet.index.JsonIndexParser;
import dev.signet.index.ProjectPage;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.demo.DemoProjects;
import dev.signet.server.demo.MinisignArtifactSigner;
import dev.signet.server.testing.JsonIndexServer;
import dev.signet.server.testing.SignetFixture;
import dev.signet.sig.MinisignKeyPair;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing the upstream said is lost in Signet's rewrite, whichever format goes in and comes out: pages are compared
 * field by field (everything but the rewritten URL) after passing through one Signet, and through two chained Signets
 * (the second one's upstream is the first, which answers it in JSON).
 */
class PageRoundTripIT {

    private static final String JSON = "application/vnd.pypi.simple.v1+json";
    private static final String LIB = "signet-demo-lib";
    private static final String YANKED = "signet_demo_lib-2.0.0-py3-none-any.whl";

    /** A file without its URL, which Signet rewrites by design. */
    record Facts(String filename, Map<String, String> hashes, String requiresPython, String yanked, Object coreMetadata,
                 Long size, String uploadTime, String provenance) {
        static Facts of(DistributionFile f, boolean htmlCarriesIt) {
            return new Facts(f.filename(), f.hashes(), f.requiresPython(), f.yanked() == null ? null : f.yanked().reason(),
                    f.coreMetadata() == null ? null : f.coreMetadata().hashes(),
                    htmlCarriesIt ? null : f.size(), htmlCarriesIt ? null : f.uploadTime(), f.provenance());
        }
    }

    @Test
    void htmlUpstreamToJsonToHtml(@TempDir Path dir) throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        try (SignetFixture a = SignetFixture.start(dir.resolve("a"), DemoProjects.demoWheels(),
                new MinisignArtifactSigner(key.secretKey()), key.publicKey().encoded(), MetadataIT.PRECHECK_WAITS,
                new SignetFixture.Options(true, false, Map.of()));
             SignetServer b = chained(a, dir.resolve("b"), key.publicKey().encoded())) {
            URI upstreamPage = a.upstream().simpleUri().resolve(LIB + "/");
            ProjectPage original = HtmlIndexParser.parseProject(new String(get(upstreamPage, "text/html")), upstreamPage, LIB);
            ProjectPage json = json(URI.create(a.simpleUrl() + LIB + "/"));
            ProjectPage html = html(URI.create(b.simpleUrl() + LIB + "/"));
            assertThat(facts(json, true)).isEqualTo(facts(original, true));
            // b checks metadata signatures at a, which publishes none: b rightly drops core-metadata and nothing else.
            assertThat(facts(html, true)).isEqualTo(facts(withoutMetadata(original), true));
            assertThat(facts(html(URI.create(a.simpleUrl() + LIB + "/")), true)).isEqualTo(facts(original, true));
        }
    }

    @Test
    void jsonUpstreamToHtmlAndToJsonThroughTwoSignets(@TempDir Path dir) throws Exception {
        MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());
        try (SignetFixture a = SignetFixture.start(dir.resolve("a"), DemoProjects.demoWheels(),
                new MinisignArtifactSigner(key.secretKey()), key.publicKey().encoded(), MetadataIT.PRECHECK_WAITS,
                new SignetFixture.Options(true, true, Map.of(YANKED, "broken \"build\" <b>")));
             SignetServer b = chained(a, dir.resolve("b"), key.publicKey().encoded())) {
            URI upstreamPage = a.json().simpleUri().resolve(LIB + "/");
            ProjectPage original = JsonIndexParser.parseProject(get(upstreamPage, JSON), upstreamPage);
            assertThat(original.file(YANKED).orElseThrow().yanked().reason()).isEqualTo("broken \"build\" <b>");
            assertThat(original.versions()).containsExactly("1.0.0", "1.2.0", "2.0.0");

            ProjectPage json = json(URI.create(a.simpleUrl() + LIB + "/"));
            assertThat(facts(json, false)).isEqualTo(facts(original, false));
            assertThat(json.versions()).isEqualTo(original.versions());
            assertThat(json.apiVersion().toString()).isEqualTo("1.1");

            ProjectPage html = html(URI.create(a.simpleUrl() + LIB + "/"));
            assertThat(facts(html, true)).isEqualTo(facts(original, true));

            ProjectPage twice = json(URI.create(b.simpleUrl() + LIB + "/"));
            assertThat(facts(twice, false)).isEqualTo(facts(withoutMetadata(original), false));
            assertThat(twice.versions()).isEqualTo(original.versions());
            assertThat(facts(html(URI.create(b.simpleUrl() + LIB + "/")), true)).isEqualTo(facts(withoutMetadata(original), true));
        }
    }

    private static SignetServer chained(SignetFixture a, Path dir, String key) throws Exception {
        return SignetServer.start(ConfigLoader.load(null, Map.of(), Map.of("listen", "127.0.0.1:0", "upstream",
                a.simpleUrl(), "trusted-keys", List.of(key), "cache-dir", dir.resolve("cache").toString())), SignetListener.NONE);
    }

    private static ProjectPage withoutMetadata(ProjectPage page) {
        return new ProjectPage(page.name(), page.files().stream().map(f -> f.withCoreMetadata(null)).toList(),
                page.versions(), page.apiVersion());
    }

    private static List<Facts> facts(ProjectPage page, boolean html) {
        return page.files().stream().map(f -> Facts.of(f, html)).toList();
    }

    private static ProjectPage json(URI page) throws Exception {
        return JsonIndexParser.parseProject(get(page, JSON), page);
    }

    private static ProjectPage html(URI page) throws Exception {
        return HtmlIndexParser.parseProject(new String(get(page, "text/html")), page, LIB);
    }

    private static byte[] get(URI uri, String accept) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .header("Accept", accept).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(uri + ": " + new String(response.body())).isEqualTo(200);
        return response.body();
    }
}
