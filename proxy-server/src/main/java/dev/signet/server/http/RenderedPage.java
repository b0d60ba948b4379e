package dev.signet.server.http;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A page as served: the same content rendered as HTML and as JSON, each plain or gzipped. Every form is produced at
 * most once, on first request, and kept as long as the page is: rendering and compressing a large page is work that
 * should not repeat per request. Forms are built on the worker pool; a form built already is served without leaving the
 * event loop.
 */
final class RenderedPage {

    private final Supplier<byte[]> html;
    private final Supplier<byte[]> json;
    /** Written under this object's lock, read without it by {@link #builtForm}. */
    private final AtomicReferenceArray<Representation> forms = new AtomicReferenceArray<>(4);

    RenderedPage(Supplier<byte[]> html, Supplier<byte[]> json) {
        this.html = html;
        this.json = json;
    }

    /** Builds the form on first use: rendering and compressing, so call it on a worker. */
    synchronized Representation form(boolean asJson, boolean gzip) {
        int slot = slot(asJson, gzip);
        Representation form = forms.get(slot);
        if (form == null) {
            form = gzip ? form(asJson, false).gzip() : Representation.of(asJson ? json.get() : html.get(), false);
            forms.set(slot, form);
        }
        return form;
    }

    /** The form if it was built already, else {@code null}; never blocks, so an event loop may ask. */
    Representation builtForm(boolean asJson, boolean gzip) {
        return forms.get(slot(asJson, gzip));
    }

    private static int slot(boolean asJson, boolean gzip) {
        return (asJson ? 2 : 0) + (gzip ? 1 : 0);
    }
}
