package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.events.SignetListener;
import dev.signet.index.DistributionFile;
import dev.signet.index.JsonIndexParser;
import dev.signet.index.ProjectPage;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.testing.Eventually;
import dev.signet.server.testing.GeneratedIndexServer;
import dev.signet.server.testing.Http;
import dev.signet.sig.MinisignKeyPair;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata pre-check on large pages (issue 10, item 8): one view of a page listing 6,000 files that offer
 * {@code .metadata} used to make 6,001 upstream requests and to wait for all of them. Now a view starts a bounded number
 * of checks, never waits for stalled ones, and later views advertise what the checks found.
 */
class MetadataPrecheckIT {

    private static final int FILES = 6_000;
    private static final int CHECKS_PER_VIEW = 64;
    private static final String PROJECT = "bigproject";

    @TempDir
    Path dir;

    private final MinisignKeyPair key = MinisignKeyPair.generate(new SecureRandom());

    private SignetServer start(GeneratedIndexServer upstream, Map<String, Object> settings) throws Exception {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("listen", "127.0.0.1:0");
        s.put("admin-listen", "127.0.0.1:0");
        s.put("upstream", upstream.simpleUri().toString());
        s.put("trusted-keys", List.of(key.publicKey().encoded()));
        s.put("cache-dir", dir.resolve("cache").toString());
        s.putAll(settings);
        return SignetServer.start(ConfigLoader.load(null, Map.of(), s), SignetListener.NONE);
    }

    private static ProjectPage view(SignetServer signet) throws Exception {
        HttpResponse<String> response = Http.get(signet.simpleUrl() + PROJECT + "/", "Accept", GeneratedIndexServer.JSON);
        assertThat(response.statusCode()).isEqualTo(200);
        return JsonIndexParser.parseProject(response.body().getBytes(StandardCharsets.UTF_8),
                URI.create(signet.simpleUrl() + PROJECT + "/"));
    }

    private static List<String> advertised(ProjectPage page) {
        return page.files().stream().filter(f -> f.coreMetadata() != null).map(DistributionFile::filename).toList();
    }

    private static List<String> newest(int from, int count) {
        return IntStream.range(FILES - from - count, FILES - from).mapToObj(i -> GeneratedIndexServer.filename(PROJECT, i)).toList();
    }

    @Test
    void oneViewOfAPageWithThousandsOfMetadataFilesChecksABoundedNumberOfSignatures() throws Exception {
        try (GeneratedIndexServer upstream = GeneratedIndexServer.start(FILES, key.secretKey());
             // A long wait, so that this view's checks all finish before it answers: the bound is what is tested here.
             SignetServer signet = start(upstream, Map.of("metadata-check-wait", "1m"))) {
            ProjectPage first = view(signet);
            assertThat(first.files()).hasSize(FILES);
            assertThat(upstream.metadataSignatureRequests()).as("signature requests for one page view")
                    .isEqualTo(CHECKS_PER_VIEW);
            assertThat(advertised(first)).as("the newest files are checked first")
                    .containsExactlyInAnyOrderElementsOf(newest(0, CHECKS_PER_VIEW));

            // The next view asks for the next batch only: known verdicts cost nothing.
            ProjectPage second = view(signet);
            assertThat(upstream.metadataSignatureRequests()).isEqualTo(2 * CHECKS_PER_VIEW);
            assertThat(advertised(second)).hasSize(2 * CHECKS_PER_VIEW)
                    .containsAll(newest(0, CHECKS_PER_VIEW)).containsAll(newest(CHECKS_PER_VIEW, CHECKS_PER_VIEW));
            assertThat(upstream.pageRequests()).as("the page itself was fetched once").isEqualTo(1);
        }
    }

    @Test
    void aPageIsAnsweredWhileTheUpstreamStallsItsMetadataSignatures() throws Exception {
        try (GeneratedIndexServer upstream = GeneratedIndexServer.start(FILES, key.secretKey());
             // The upstream's own timeouts are far longer than the test's hang guard (60 s per request): a page that
             // waited for the stalled signatures would not come back in time.
             SignetServer signet = start(upstream, Map.of("upstream-timeouts.first-byte", "10m",
                     "upstream-timeouts.idle", "10m"))) {
            upstream.holdMetadataSignatures();
            ProjectPage page = view(signet);

            assertThat(upstream.heldMetadataSignatures()).as("the page came back while its signature checks were stalled")
                    .isPositive();
            assertThat(advertised(page)).as("nothing is advertised before its signature is checked").isEmpty();
            assertThat(upstream.metadataSignatureRequests()).isLessThanOrEqualTo(CHECKS_PER_VIEW);

            // While the checks are still stalled, more views answer too and start no new checks.
            ProjectPage again = view(signet);
            assertThat(advertised(again)).isEmpty();
            assertThat(upstream.metadataSignatureRequests()).isLessThanOrEqualTo(CHECKS_PER_VIEW);

            upstream.releaseMetadataSignatures();
            Eventually.await("the stalled checks answered", Duration.ofSeconds(60), () -> upstream.heldMetadataSignatures() == 0);
            int[] views = {2};
            Eventually.await("a later view advertises the checked files", Duration.ofSeconds(60), () -> {
                try {
                    views[0]++;
                    return advertised(view(signet)).containsAll(newest(0, CHECKS_PER_VIEW));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(upstream.metadataSignatureRequests()).as("at most one batch per view")
                    .isLessThanOrEqualTo(views[0] * CHECKS_PER_VIEW);
        }
    }
}
