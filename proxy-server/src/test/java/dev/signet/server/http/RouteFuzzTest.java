package dev.signet.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.signet.index.ProjectName;
import java.nio.charset.StandardCharsets;

/**
 * Request targets come from clients (Netty hands over the request line's bytes as ISO-8859-1 characters). Whatever
 * the target, routing returns a route: a redirect leads to a page without a second redirect, a project is a valid
 * normalized name whose own path routes back to it, an artifact's path (its file name percent-encoded as Signet writes
 * it into pages) routes back to the same key, and a 404's reason is one short printable line.
 */
class RouteFuzzTest {

    @FuzzTest
    void everyTargetRoutesSomewhereConsistent(byte[] input) {
        String target = new String(input, StandardCharsets.ISO_8859_1);

        Route route = Route.parse(target);

        assertThat(route).isNotNull();
        if (route instanceof Route.Redirect redirect) {
            assertThat(redirect.location()).startsWith(Route.SIMPLE);
            assertThat(Route.parse(redirect.location())).isInstanceOfAny(Route.RootIndex.class, Route.ProjectIndex.class);
        } else if (route instanceof Route.ProjectIndex project) {
            assertThat(ProjectName.isValid(project.project())).isTrue();
            assertThat(ProjectName.normalize(project.project())).isEqualTo(project.project());
            assertThat(Route.parse(Route.SIMPLE + project.project() + "/")).isEqualTo(route);
        } else if (route instanceof Route.Artifact artifact) {
            String path = Route.PACKAGES + artifact.key().project() + "/" + PathSegment.encode(artifact.key().filename());
            assertThat(Route.parse(path)).isEqualTo(route);
        } else if (route instanceof Route.NotFound notFound) {
            assertThat(notFound.reason()).hasSizeLessThan(300).doesNotContain("\n", "\r", "\u0000");
        } else {
            assertThat(route).isInstanceOf(Route.RootIndex.class);
        }
    }
}
