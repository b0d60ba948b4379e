package dev.signet.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** The edge's URL space ({@link Route}): project list and pages from the index, artifacts only verified. */
final class EdgeRoutes implements PublicRoutes {

    private final IndexResponder pages;
    private final ArtifactResponder artifacts;

    EdgeRoutes(IndexResponder pages, ArtifactResponder artifacts) {
        this.pages = pages;
        this.artifacts = artifacts;
    }

    @Override
    public void answer(HttpExchange exchange) {
        Route route = Route.parse(exchange.uri());
        if (route instanceof Route.RootIndex) {
            pages.root(exchange);
        } else if (route instanceof Route.ProjectIndex project) {
            pages.project(exchange, project.project());
        } else if (route instanceof Route.Artifact artifact) {
            artifacts.serve(exchange, artifact.key());
        } else if (route instanceof Route.Redirect redirect) {
            exchange.redirect(redirect.location());
        } else if (route instanceof Route.NotFound notFound) {
            exchange.sendText(HttpResponseStatus.NOT_FOUND, notFound.reason());
        }
    }
}
