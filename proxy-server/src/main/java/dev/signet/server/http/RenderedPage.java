package dev.signet.server.http;

import java.util.function.Supplier;

/**
 * A page as served: the same content rendered as HTML and as JSON, each plain or gzipped. Every form is produced at
 * most once, on first request, and kept as long as the page is: rendering and compressing a large page is work that
 * should not repeat per request. Forms are built on the worker pool.
 */
final class RenderedPage {

    private final Supplier<byte[]> html;
    private final Supplier<byte[]> json;
    private final Representation[] forms = new Representation[4];

    RenderedPage(Supplier<byte[]> html, Supplier<byte[]> json) {
        this.html = html;
        this.json = json;
    }

    synchronized Representation form(boolean asJson, boolean gzip) {
        int slot = (asJson ? 2 : 0) + (gzip ? 1 : 0);
        if (forms[slot] == null) {
            forms[slot] = gzip ? form(asJson, false).gzip() : Representation.of(asJson ? json.get() : html.get(), false);
        }
        return forms[slot];
    }
}
