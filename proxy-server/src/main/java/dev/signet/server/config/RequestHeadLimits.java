package dev.signet.server.config;

import java.time.Duration;

/**
 * What a client may send as a request head on the public and admin listeners before Signet refuses it and closes the
 * connection: the request line ({@code 414} beyond {@code maxRequestLine} bytes), all header lines together and their
 * number ({@code 431} beyond {@code maxHeaderSize} bytes or {@code maxHeaders} fields), and the time from the head's
 * first byte to its end ({@code 408} after {@code timeout}). Like nginx's {@code large_client_header_buffers} and
 * {@code client_header_timeout}, HAProxy's {@code tune.bufsize}, {@code tune.http.maxhdr} and
 * {@code timeout http-request}.
 */
public record RequestHeadLimits(int maxRequestLine, int maxHeaderSize, int maxHeaders, Duration timeout) {

    /** The documented defaults (config/signet.yaml). */
    public static final RequestHeadLimits DEFAULTS = new RequestHeadLimits(8 * 1024, 32 * 1024, 100, Duration.ofSeconds(30));
}
