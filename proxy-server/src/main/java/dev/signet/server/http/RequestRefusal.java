package dev.signet.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * Why a request head is refused, carried as the request's failed decoder result so a refusal reaches
 * {@link RequestHandler} the way Netty's own decoding failures do, and is answered through the one completion path
 * of {@link HttpExchange}. Every refusal closes the connection: after a framing error the next byte's place in the
 * stream is unknown. No stack trace: a client can cause one per connection, and it would only point here.
 */
final class RequestRefusal extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient HttpResponseStatus status;

    RequestRefusal(HttpResponseStatus status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    /** The answer to a request whose decoding failed with {@code cause}: one of ours, or one of Netty's limits. */
    static HttpResponseStatus statusFor(Throwable cause) {
        if (cause instanceof RequestRefusal refusal) {
            return refusal.status;
        }
        if (cause instanceof TooLongHttpLineException) {
            // The request line is the method, the target and the version: only the target can make it long.
            return HttpResponseStatus.REQUEST_URI_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        return HttpResponseStatus.BAD_REQUEST;
    }
}
