package dev.signet.index;

import static dev.signet.index.Samples.MD5_A;
import static dev.signet.index.Samples.SHA256_A;
import static dev.signet.index.Samples.SHA256_B;
import static dev.signet.index.Samples.hashes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonIndexRendererTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FileUrlMapper SIGNET_PATH = f -> "/packages/foo/" + f.filename();

    private static JsonNode render(ProjectPage page) throws Exception {
        return JSON.readTree(JsonIndexRenderer.renderProject(page, SIGNET_PATH));
    }

    @Test
    void writesEveryKeyOfAFullyDescribedFile() throws Exception {
        DistributionFile file = new DistributionFile("foo-1.0-py3-none-any.whl",
                URI.create("https://files.example/foo-1.0-py3-none-any.whl"), hashes("sha256", SHA256_A, "md5", MD5_A),
                "<4,>=3.8", new Yank("broken"), new CoreMetadata(hashes("sha256", SHA256_B)), 42L,
                "2024-01-02T03:04:05Z", "https://prov.example/p");

        JsonNode json = render(new ProjectPage("Foo_Bar", List.of(file), List.of("0.9", "1.0"), ApiVersion.V1_0));

        assertThat(json).isEqualTo(JSON.readTree(("{'meta':{'api-version':'1.1'},'name':'foo-bar','files':[{"
                + "'filename':'foo-1.0-py3-none-any.whl','url':'/packages/foo/foo-1.0-py3-none-any.whl',"
                + "'hashes':{'sha256':'" + SHA256_A + "','md5':'" + MD5_A + "'},'requires-python':'<4,>=3.8',"
                + "'yanked':'broken','core-metadata':{'sha256':'" + SHA256_B + "'},"
                + "'dist-info-metadata':{'sha256':'" + SHA256_B + "'},'size':42,"
                + "'upload-time':'2024-01-02T03:04:05Z','provenance':'https://prov.example/p'}],"
                + "'versions':['0.9','1.0']}").replace('\'', '"')));
    }

    @Test
    void writesFalseAndTrueForms() throws Exception {
        DistributionFile bare = new DistributionFile("a-1.whl", URI.create("https://f.example/a-1.whl"), Map.of(),
                null, null, null, null, null, null);
        DistributionFile flagged = new DistributionFile("b-1.whl", URI.create("https://f.example/b-1.whl"), Map.of(),
                null, new Yank(""), CoreMetadata.withoutHashes(), null, null, null);

        JsonNode json = render(new ProjectPage("foo", List.of(bare, flagged), List.of(), ApiVersion.V1_1));

        assertThat(json.get("meta").get("api-version").asText()).isEqualTo("1.0");
        assertThat(json.has("versions")).isFalse();
        JsonNode a = json.get("files").get(0);
        assertThat(a.get("yanked").isBoolean() && !a.get("yanked").booleanValue()).isTrue();
        assertThat(a.get("core-metadata").booleanValue()).isFalse();
        assertThat(a.get("dist-info-metadata").booleanValue()).isFalse();
        assertThat(a.has("requires-python") || a.has("size") || a.has("upload-time") || a.has("provenance")).isFalse();
        JsonNode b = json.get("files").get(1);
        assertThat(b.get("yanked").isBoolean() && b.get("yanked").booleanValue()).isTrue();
        assertThat(b.get("core-metadata").isBoolean() && b.get("core-metadata").booleanValue()).isTrue();
        assertThat(b.get("dist-info-metadata").booleanValue()).isTrue();
    }

    @Test
    void writesTheRoot() throws Exception {
        byte[] json = JsonIndexRenderer.renderRoot(new ProjectList(List.of("Frob", "zope.interface"), ApiVersion.V1_0));

        assertThat(JSON.readTree(json)).isEqualTo(JSON.readTree(
                "{\"meta\":{\"api-version\":\"1.0\"},\"projects\":[{\"name\":\"Frob\"},{\"name\":\"zope.interface\"}]}"));
        assertThat(JsonIndexParser.parseRoot(json)).isEqualTo(new ProjectList(List.of("Frob", "zope.interface"),
                ApiVersion.V1_0));
    }
}
