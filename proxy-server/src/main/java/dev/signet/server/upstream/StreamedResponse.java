package dev.signet.server.upstream;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * The outcome of a streamed {@code 200}: its headers, the declared length ({@code -1} when chunked) and how many body
 * bytes actually arrived. The client has already checked that the body ended cleanly and matched the declared length.
 */
public record StreamedResponse(HttpHeaders headers, long declaredLength, long receivedBytes) {
}
