package dev.signet.server.http;

/**
 * What answers a request the public listener accepted (well-formed, GET or HEAD): an edge's index and verified
 * artifacts ({@link EdgeRoutes}) or a signing origin's signed tree ({@link OriginRoutes}). The composition root picks
 * one per server, so neither serve path branches on the role.
 */
interface PublicRoutes {
    void answer(HttpExchange exchange);
}
