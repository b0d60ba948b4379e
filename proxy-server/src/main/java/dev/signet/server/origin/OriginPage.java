package dev.signet.server.origin;

/** One form of a signed page as sent: its exact bytes, their strong validator and media type. */
public record OriginPage(byte[] body, String etag, String contentType) {

    /** The forms at fixed URLs: {@code /simple/<p>/}, {@code .../index.json}, {@code .../index.json.minisig}. */
    public enum Form { HTML, JSON, SIGNATURE }
}
