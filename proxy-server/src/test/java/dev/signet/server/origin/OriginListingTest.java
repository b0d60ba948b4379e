package dev.signet.server.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.index.ApiVersion;
import dev.signet.index.CoreMetadata;
import dev.signet.index.DistributionFile;
import dev.signet.index.ProjectPage;
import dev.signet.server.config.ProvenanceConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What a signing origin lists and signs, decided from the upstream page alone. */
class OriginListingTest {

    private static final FileHostPolicy PYPI = FileHostPolicy.of(URI.create("https://pypi.org/simple/"),
            List.of("files.pythonhosted.org"));
    private static final String SHA = "ab".repeat(32);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "https://files.pythonhosted.org/packages/x/demo-1.0.tar.gz, ",
            "https://pypi.org/packages/demo-1.0.tar.gz, ",
            "https://FILES.pythonhosted.org/packages/demo-1.0.tar.gz, ",
            "http://files.pythonhosted.org/packages/demo-1.0.tar.gz, is not https",
            "https://evil.example/packages/demo-1.0.tar.gz, neither the upstream's",
            "https://files.pythonhosted.org.evil.example/demo-1.0.tar.gz, neither the upstream's",
            "https://user:pw@files.pythonhosted.org/demo-1.0.tar.gz, carries credentials",
            "ftp://files.pythonhosted.org/demo-1.0.tar.gz, is not https",
    })
    void fileHostsAreTheUpstreamsAndTheAllowedOnesOverHttps(String url, String refusal) {
        var decision = PYPI.refusal(URI.create(url));
        if (refusal == null) {
            assertThat(decision).isEmpty();
        } else {
            assertThat(decision).hasValueSatisfying(reason -> assertThat(reason).contains(refusal));
        }
    }

    private static DistributionFile file(String name, Map<String, String> hashes, CoreMetadata metadata) {
        return new DistributionFile(name, URI.create("https://files.pythonhosted.org/packages/" + name),
                hashes, ">=3.8", null, metadata, 10L, "2024-01-01T00:00:00.000000Z", "https://pypi.org/provenance");
    }

    @Test
    void onlyFilesWithAnUpstreamSha256AndAValidNameOfTheProjectAreListed() {
        ProjectPage page = new ProjectPage("demo", List.of(
                file("demo-1.0-py3-none-any.whl", Map.of("sha256", SHA, "md5", "0".repeat(32)),
                        new CoreMetadata(Map.of("sha256", "cd".repeat(32)))),
                file("demo-1.0.tar.gz", Map.of("md5", "0".repeat(32)), null),
                file("demo-1.1-py3-none-any.whl", Map.of("sha256", SHA), new CoreMetadata(Map.of())),
                file("other-1.0.tar.gz", Map.of("sha256", SHA), null),
                file("demo-0.9.exe", Map.of("sha256", SHA), null),
                file("demo-2.0.tar.gz", Map.of("sha256", "not-hex"), null)),
                List.of(), ApiVersion.V1_1);
        OriginListing listing = OriginListing.of("demo", page, PYPI);

        assertThat(listing.files()).extracting(DistributionFile::filename)
                .containsExactly("demo-1.0-py3-none-any.whl", "demo-1.1-py3-none-any.whl");
        DistributionFile listed = listing.files().get(0);
        assertThat(listed.hashes()).as("only the hash the origin checks").isEqualTo(Map.of("sha256", SHA));
        assertThat(listed.provenance()).isNull();
        assertThat(listed.coreMetadata().hashes()).isEqualTo(Map.of("sha256", "cd".repeat(32)));
        assertThat(listing.files().get(1).coreMetadata()).as("metadata without a sha256 is not advertised").isNull();
        assertThat(listing.sources().get("demo-1.0-py3-none-any.whl.metadata").url().toString())
                .isEqualTo("https://files.pythonhosted.org/packages/demo-1.0-py3-none-any.whl.metadata");
        assertThat(listing.sources()).doesNotContainKey("demo-1.1-py3-none-any.whl.metadata");

        assertThat(listing.refusals()).containsOnlyKeys("demo-1.0.tar.gz", "other-1.0.tar.gz", "demo-0.9.exe",
                "demo-2.0.tar.gz");
        assertThat(listing.refusals().get("demo-1.0.tar.gz")).contains("no sha256");
        assertThat(listing.refusals().get("demo-2.0.tar.gz")).contains("no sha256");
        assertThat(listing.refusals().get("other-1.0.tar.gz")).contains("project other");
    }

    @Test
    void underRequiredProvenanceFilesThePageLinksNoProvenanceForAreLeftOffWithTheReason() {
        DistributionFile attested = file("demo-1.0-py3-none-any.whl", Map.of("sha256", SHA), null);
        DistributionFile bare = new DistributionFile("demo-1.0.tar.gz",
                URI.create("https://files.pythonhosted.org/packages/demo-1.0.tar.gz"), Map.of("sha256", SHA), null, null,
                null, 10L, null, null);
        ProjectPage page = new ProjectPage("demo", List.of(attested, bare), List.of(), ApiVersion.V1_1);
        ProvenanceConfig require = new ProvenanceConfig(ProvenanceConfig.Mode.REQUIRE, "test", null, Map.of());
        ProvenanceConfig verify = new ProvenanceConfig(ProvenanceConfig.Mode.VERIFY, "test", null, Map.of());

        OriginListing required = OriginListing.of("demo", page, PYPI, require);
        assertThat(required.files()).extracting(DistributionFile::filename).containsExactly("demo-1.0-py3-none-any.whl");
        assertThat(required.sources().get("demo-1.0-py3-none-any.whl").provenance())
                .isEqualTo(URI.create("https://pypi.org/provenance"));
        assertThat(required.refusals().get("demo-1.0.tar.gz")).contains("no PEP 740 provenance")
                .contains("origin.provenance: require");

        OriginListing verified = OriginListing.of("demo", page, PYPI, verify);
        assertThat(verified.files()).extracting(DistributionFile::filename).containsExactly("demo-1.0-py3-none-any.whl",
                "demo-1.0.tar.gz");
        assertThat(verified.sources().get("demo-1.0.tar.gz").provenance()).isNull();

        // A project with pinned publishers needs provenance even under verify; other projects do not.
        ProvenanceConfig pinned = new ProvenanceConfig(ProvenanceConfig.Mode.VERIFY, "test", null,
                Map.of("demo", List.of(dev.signet.provenance.PublisherPin.parse("github:example/demo"))));
        OriginListing pinnedListing = OriginListing.of("demo", page, PYPI, pinned);
        assertThat(pinnedListing.files()).extracting(DistributionFile::filename)
                .containsExactly("demo-1.0-py3-none-any.whl");
        assertThat(pinnedListing.refusals().get("demo-1.0.tar.gz")).contains("origin.provenance-publishers");
        ProvenanceConfig otherPinned = new ProvenanceConfig(ProvenanceConfig.Mode.VERIFY, "test", null,
                Map.of("other", List.of(dev.signet.provenance.PublisherPin.parse("github:example/other"))));
        assertThat(OriginListing.of("demo", page, PYPI, otherPinned).files()).hasSize(2);
    }
}
