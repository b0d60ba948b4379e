package dev.signet.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.store.ArtifactKey;
import org.junit.jupiter.api.Test;

class RouteTest {

    @Test
    void indexPages() {
        assertThat(Route.parse("/simple/")).isEqualTo(new Route.RootIndex());
        assertThat(Route.parse("/simple/?format=application/vnd.pypi.simple.v1+json")).isEqualTo(new Route.RootIndex());
        assertThat(Route.parse("/simple/requests/")).isEqualTo(new Route.ProjectIndex("requests"));
        assertThat(Route.parse("/")).isEqualTo(new Route.Redirect("/simple/"));
        assertThat(Route.parse("/simple")).isEqualTo(new Route.Redirect("/simple/"));
    }

    @Test
    void otherSpellingsOfAProjectRedirectToTheNormalizedOne() {
        assertThat(Route.parse("/simple/Foo_Bar/")).isEqualTo(new Route.Redirect("/simple/foo-bar/"));
        assertThat(Route.parse("/simple/foo.bar")).isEqualTo(new Route.Redirect("/simple/foo-bar/"));
        assertThat(Route.parse("/simple/foo-bar")).isEqualTo(new Route.Redirect("/simple/foo-bar/"));
        assertThat(Route.parse("/simple/Foo%5FBar/")).isEqualTo(new Route.Redirect("/simple/foo-bar/"));
    }

    @Test
    void artifactsWithAndWithoutEscapes() {
        assertThat(Route.parse("/packages/demo/demo-1.0-py3-none-any.whl"))
                .isEqualTo(new Route.Artifact(new ArtifactKey("demo", "demo-1.0-py3-none-any.whl")));
        // A '+' in a path is a plus (local version labels), escaped or not; never a space.
        assertThat(Route.parse("/packages/demo/demo-1.0+local-py3-none-any.whl"))
                .isEqualTo(new Route.Artifact(new ArtifactKey("demo", "demo-1.0+local-py3-none-any.whl")));
        assertThat(Route.parse("/packages/demo/demo-1.0%2Blocal-py3-none-any.whl"))
                .isEqualTo(new Route.Artifact(new ArtifactKey("demo", "demo-1.0+local-py3-none-any.whl")));
        assertThat(Route.parse("/packages/demo/demo%201.0.tar.gz"))
                .isEqualTo(new Route.Artifact(new ArtifactKey("demo", "demo 1.0.tar.gz")));
        assertThat(Route.parse("/packages/demo/demo-1.0.tar.gz?x=1"))
                .isEqualTo(new Route.Artifact(new ArtifactKey("demo", "demo-1.0.tar.gz")));
    }

    @Test
    void aRedirectHopNamesTheSameArtifactWhateverItsHopNumber() {
        for (String file : new String[] {"demo-1.0-py3-none-any.whl", "demo-1.0+local-py3-none-any.whl", "demo 1.0.tar.gz"}) {
            ArtifactKey key = new ArtifactKey("demo", file);
            String path = Route.PACKAGES + PathSegment.encode("demo") + "/" + PathSegment.encode(file);
            for (int hop : new int[] {1, 7, 30}) {
                assertThat(Route.parse(dev.signet.http.FillRedirectPolicy.location(path, hop))).isEqualTo(new Route.Artifact(key));
            }
        }
    }

    @Test
    void pathsThatNameNoArtifactAreNotFound() {
        assertThat(Route.parse("/packages/demo/..")).isInstanceOf(Route.NotFound.class);
        assertThat(Route.parse("/packages/demo/a%2Fb.whl")).isInstanceOf(Route.NotFound.class);
        assertThat(Route.parse("/packages/demo/%ZZ.whl")).isInstanceOf(Route.NotFound.class);
        assertThat(Route.parse("/packages/Demo/demo-1.0.tar.gz")).isInstanceOf(Route.NotFound.class);
        assertThat(Route.parse("/packages/demo/")).isInstanceOf(Route.NotFound.class);
        assertThat(Route.parse("/packages/x")).isInstanceOf(Route.NotFound.class);
        assertThat(Route.parse("/elsewhere")).isEqualTo(new Route.NotFound("no such path: /elsewhere"));
        assertThat(((Route.NotFound) Route.parse("/packages/demo/a%0Ab.whl")).reason()).doesNotContain("\n");
    }
}
