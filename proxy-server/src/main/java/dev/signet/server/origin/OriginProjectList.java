package dev.signet.server.origin;

import dev.signet.index.HtmlIndexRenderer;
import dev.signet.index.JsonIndexRenderer;
import dev.signet.index.ProjectList;
import dev.signet.index.ProjectName;
import dev.signet.server.index.IndexService;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The origin's project list ({@code /simple/} as PEP 503 HTML, {@code /simple/index.json} as PEP 691 JSON): the
 * upstream's list, fetched, cached and revalidated by the same {@link IndexService} as the project pages, because
 * the origin signs a page for any project of its upstream on demand. Not signed (docs/signed-index.md, section 6:
 * installers do not resolve requirements from it); every link points at the normalized name, the only spelling the
 * origin's URLs answer. Each form is rendered and hashed on a worker once per upstream list.
 */
final class OriginProjectList {

    private record Rendered(ProjectList source, OriginPage html, OriginPage json) {
    }

    private final IndexService index;
    private final Executor workers;
    private final AtomicReference<Rendered> last = new AtomicReference<>();

    OriginProjectList(IndexService index, Executor workers) {
        this.index = index;
        this.workers = workers;
    }

    CompletableFuture<OriginPage> page(boolean json) {
        return index.root().thenApplyAsync(list -> {
            Rendered rendered = last.get();
            if (rendered == null || rendered.source() != list) {
                rendered = render(list);
                last.set(rendered);
            }
            return json ? rendered.json() : rendered.html();
        }, workers);
    }

    private static Rendered render(ProjectList list) {
        // A name the origin's URLs cannot answer (not a valid project name) is not listed.
        ProjectList listed = new ProjectList(list.projects().stream().filter(ProjectName::isValid).toList(),
                list.apiVersion());
        byte[] html = HtmlIndexRenderer.renderRoot(listed, name -> ProjectName.normalize(name) + "/")
                .getBytes(StandardCharsets.UTF_8);
        byte[] json = JsonIndexRenderer.renderRoot(listed);
        return new Rendered(list, new OriginPage(html, tag(html), "text/html; charset=utf-8"),
                new OriginPage(json, tag(json), "application/vnd.pypi.simple.v1+json"));
    }

    private static String tag(byte[] body) {
        return "\"" + SigningOrigin.sha256Hex(body) + "\"";
    }
}
