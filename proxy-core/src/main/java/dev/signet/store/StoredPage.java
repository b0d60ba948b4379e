package dev.signet.store;

import java.util.Objects;

/**
 * An index page exactly as the upstream sent it, with what is needed to revalidate it ({@code etag},
 * {@code lastModified}) and to judge its age ({@code fetchedAtMillis}). Kept on disk so a restarted Signet can still
 * answer while the upstream is down.
 */
public record StoredPage(String url, String contentType, String etag, String lastModified, long fetchedAtMillis, byte[] body) {

    public StoredPage {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(body, "body");
        contentType = contentType == null ? "" : contentType;
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The same page, confirmed unchanged by the upstream at {@code millis}. */
    public StoredPage revalidatedAt(long millis) {
        return new StoredPage(url, contentType, etag, lastModified, millis, body);
    }
}
