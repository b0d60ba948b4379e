package dev.signet.server.upstream;

import io.netty.handler.codec.http.HttpHeaders;

/** A complete, small upstream response (index pages, signatures). */
public record UpstreamResponse(int status, HttpHeaders headers, byte[] body) {
}
