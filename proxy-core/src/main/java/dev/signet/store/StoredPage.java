package dev.signet.store;

import java.util.Objects;

/**
 * An index page exactly as the upstream sent it, with what is needed to revalidate it ({@code etag},
 * {@code lastModified}) and to judge its age ({@code fetchedAtMillis}). Kept on disk so a restarted Signet can still
 * answer while the upstream is down. A signed page keeps its signature, which is verified again when the page is read
 * back (the disk is not trusted).
 */
public record StoredPage(String url, String contentType, String etag, String lastModified, long fetchedAtMillis, byte[] body,
                         byte[] signature) {

    public StoredPage {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(body, "body");
        contentType = contentType == null ? "" : contentType;
        body = body.clone();
        signature = signature == null ? null : signature.clone();
    }

    /** A page without a page signature. */
    public StoredPage(String url, String contentType, String etag, String lastModified, long fetchedAtMillis, byte[] body) {
        this(url, contentType, etag, lastModified, fetchedAtMillis, body, null);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The page signature ({@code index.json.minisig}) it came with, or {@code null}; re-checked when read back. */
    @Override
    public byte[] signature() {
        return signature == null ? null : signature.clone();
    }

    /** The same page, confirmed unchanged by the upstream at {@code millis}. */
    public StoredPage revalidatedAt(long millis) {
        return new StoredPage(url, contentType, etag, lastModified, millis, body, signature);
    }
}
