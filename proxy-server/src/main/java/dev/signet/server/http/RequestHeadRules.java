package dev.signet.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Iterator;

/**
 * The checks a decoded request head must pass beyond what Netty's decoder enforces (syntax, line and header sizes,
 * duplicate or malformed {@code Content-Length}). Signet serves GET and HEAD only, so a request that announces content
 * is refused whatever its framing says: there is no body whose end two parsers could disagree on (request smuggling).
 */
final class RequestHeadRules {

    private RequestHeadRules() {
    }

    /** {@code null} when {@code head} is acceptable, else why not. An acceptable head costs a few lookups, no copies. */
    static RequestRefusal check(HttpRequest head, int maxHeaders) {
        HttpVersion version = head.protocolVersion();
        if (version.majorVersion() != 1) {
            return new RequestRefusal(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "HTTP/1.0 and HTTP/1.1 only");
        }
        HttpHeaders headers = head.headers();
        if (headers.size() > maxHeaders) {
            return new RequestRefusal(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "more than " + maxHeaders + " header fields");
        }
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            // Whatever the coding (chunked, gzip, "xchunked", two fields): requests here have no content (RFC 9112 6.1).
            return new RequestRefusal(HttpResponseStatus.BAD_REQUEST, "request content is not accepted (Transfer-Encoding)");
        }
        if (headers.contains(HttpHeaderNames.CONTENT_LENGTH) && !isZero(head)) {
            return new RequestRefusal(HttpResponseStatus.BAD_REQUEST, "request content is not accepted (Content-Length)");
        }
        Iterator<? extends CharSequence> hosts = headers.valueCharSequenceIterator(HttpHeaderNames.HOST);
        if (!hosts.hasNext()) {
            if (version.minorVersion() >= 1) {
                return new RequestRefusal(HttpResponseStatus.BAD_REQUEST, "an HTTP/1.1 request needs a Host header");
            }
        } else {
            hosts.next();
            if (hosts.hasNext()) {
                return new RequestRefusal(HttpResponseStatus.BAD_REQUEST, "more than one Host header");
            }
        }
        return null;
    }

    /** Netty's decoder has already refused a malformed or repeated Content-Length; this only reads the one left. */
    private static boolean isZero(HttpRequest head) {
        try {
            return HttpUtil.getContentLength(head, 0L) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
