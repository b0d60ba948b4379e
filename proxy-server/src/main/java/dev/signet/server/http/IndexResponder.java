package dev.signet.server.http;

import dev.signet.index.DistributionFile;
import dev.signet.index.FileUrlMapper;
import dev.signet.index.HtmlIndexRenderer;
import dev.signet.index.ProjectPage;
import dev.signet.server.index.IndexService;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Index pages: the upstream's page, parsed, with every file link rewritten to Signet's own {@code /packages/} path so
 * that no installer ever fetches an artifact around the verifier. Rendering runs on the worker pool.
 */
final class IndexResponder {

    static final String HTML = "text/html; charset=utf-8";

    private final IndexService index;
    private final Executor workers;

    IndexResponder(IndexService index, Executor workers) {
        this.index = index;
        this.workers = workers;
    }

    void root(HttpExchange exchange) {
        reply(exchange, index.root().thenApplyAsync(list ->
                HtmlIndexRenderer.renderRoot(list, name -> Route.SIMPLE + PathSegment.encode(
                        dev.signet.index.ProjectName.normalize(name)) + "/"), workers));
    }

    void project(HttpExchange exchange, String project) {
        FileUrlMapper mapper = file -> artifactPath(project, file);
        reply(exchange, index.project(project).thenApplyAsync(
                page -> HtmlIndexRenderer.renderProject(withoutMetadataLinks(page), mapper), workers));
    }

    /**
     * Signet does not serve PEP 658 metadata files yet, so it must not advertise them: an installer that sees
     * {@code core-metadata} fetches {@code FILE.metadata} and fails on anything but a verified answer. Without the
     * attribute, installers read the metadata from the verified artifact itself.
     */
    static ProjectPage withoutMetadataLinks(ProjectPage page) {
        return new ProjectPage(page.name(), page.files().stream().map(f -> f.withCoreMetadata(null)).toList(),
                page.versions(), page.apiVersion());
    }

    static String artifactPath(String project, DistributionFile file) {
        return Route.PACKAGES + project + "/" + PathSegment.encode(file.filename());
    }

    private static void reply(HttpExchange exchange, CompletableFuture<String> html) {
        html.whenCompleteAsync((body, error) -> {
            if (!exchange.ctx().channel().isActive()) {
                exchange.abandon();
            } else if (error != null) {
                Failures failure = Failures.of(error);
                exchange.sendText(failure.status(), failure.message());
            } else {
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, HTML);
                response.headers().set(HttpHeaderNames.CACHE_CONTROL, "max-age=600");
                exchange.sendFull(response);
            }
        }, exchange.ctx().executor());
    }
}
