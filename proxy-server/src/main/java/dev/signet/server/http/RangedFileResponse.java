package dev.signet.server.http;

import dev.signet.http.ByteRange;
import dev.signet.http.ConditionalOutcome;
import dev.signet.http.Conditionals;
import dev.signet.http.RangeDecision;
import dev.signet.http.Ranges;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Instant;

/**
 * The answer to a GET or HEAD of an immutable, opened file: conditionals first ({@code 304}/{@code 412}), then
 * {@code Range} when {@code If-Range} allows it ({@code 206} with {@code Content-Range} for one range, {@code 416}
 * when unsatisfiable, the whole file with {@code 200} for several ranges or anything {@link Ranges} ignores), then
 * the body. Written once for the edge's verified artifacts and the signing origin's published files, so caches in
 * front of either and resuming clients meet the same rules. The file is closed on every path.
 */
final class RangedFileResponse {

    /** What the answer needs of the file; {@link #close()} is called exactly once. */
    interface File {
        long length();

        String etag();

        /** Null when the file has no date validator. */
        Instant lastModified();

        /** Validators and caching headers, set on every answer ({@code 200}, {@code 206}, {@code 304}, ...). */
        void validators(HttpHeaders headers);

        String contentType();

        /** The bytes {@code [start, start + count)}: a file region (sendfile) or chunks. */
        Object body(long start, long count);

        void close();
    }

    private RangedFileResponse() {
    }

    static void send(HttpExchange exchange, File file) {
        HttpHeaders request = exchange.requestHeaders();
        String etag = file.etag();
        ConditionalOutcome conditional = Conditionals.evaluate(exchange.method().name(),
                request.get(HttpHeaderNames.IF_MATCH), request.get(HttpHeaderNames.IF_UNMODIFIED_SINCE),
                request.get(HttpHeaderNames.IF_NONE_MATCH), request.get(HttpHeaderNames.IF_MODIFIED_SINCE),
                etag, file.lastModified());
        if (conditional != ConditionalOutcome.PROCEED) {
            file.close();
            HttpResponseStatus status = conditional == ConditionalOutcome.NOT_MODIFIED
                    ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.PRECONDITION_FAILED;
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
            file.validators(head.headers());
            if (status == HttpResponseStatus.PRECONDITION_FAILED) {
                head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            }
            exchange.send(head, null, 0);
            return;
        }

        long length = file.length();
        RangeDecision decision = new RangeDecision.Full();
        String range = request.get(HttpHeaderNames.RANGE);
        if (range != null && Conditionals.ifRangeAllows(request.get(HttpHeaderNames.IF_RANGE), etag, file.lastModified())) {
            decision = Ranges.decide(range, length);
        }
        if (decision instanceof RangeDecision.Unsatisfiable) {
            file.close();
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
            file.validators(head.headers());
            head.headers().set(HttpHeaderNames.CONTENT_RANGE, Ranges.unsatisfiedContentRange(length));
            head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            exchange.send(head, null, 0);
            return;
        }

        long start = 0;
        long count = length;
        HttpResponse head;
        if (decision instanceof RangeDecision.Partial partial) {
            ByteRange r = partial.range();
            start = r.first();
            count = r.length();
            head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.PARTIAL_CONTENT);
            head.headers().set(HttpHeaderNames.CONTENT_RANGE, Ranges.contentRange(r, length));
        } else {
            head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        }
        file.validators(head.headers());
        head.headers().set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, file.contentType());
        HttpUtil.setContentLength(head, count);

        if (exchange.isHead() || count == 0) {
            file.close();
            exchange.send(head, null, 0);
            return;
        }
        Object body;
        try {
            body = file.body(start, count);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
        exchange.send(head, body, count).addListener(written -> file.close());
    }
}
