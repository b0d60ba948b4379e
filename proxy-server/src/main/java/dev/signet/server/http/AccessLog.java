package dev.signet.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.server.config.OperationsConfig.AccessLogFormat;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@code signet.access} logger: who, what, outcome, size, time, and what the cache and
 * the verifier did; as text or as one JSON object. Paths are made printable and logged without their query string;
 * headers (which may carry credentials) are never logged.
 */
public final class AccessLog {

    private static final Logger log = LoggerFactory.getLogger("signet.access");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccessLogFormat format;

    public AccessLog(AccessLogFormat format) {
        this.format = format;
    }

    void record(HttpExchange exchange) {
        if (!log.isInfoEnabled()) {
            return;
        }
        long micros = (System.nanoTime() - exchange.startNanos()) / 1_000;
        String path = Route.printable(withoutQuery(exchange.uri()));
        if (format == AccessLogFormat.JSON) {
            log.info(json(exchange, path, micros));
            return;
        }
        log.info(text(exchange, path, micros));
    }

    /**
     * {@code remote method path status bytes duration cache=... verify=... id=...}, built directly: SLF4J's
     * {@code {}} formatting of ten arguments costs more than the line is worth on an event loop.
     */
    static String text(HttpExchange exchange, String path, long micros) {
        return new StringBuilder(160)
                .append(exchange.remote()).append(' ')
                .append(exchange.method().name()).append(' ')
                .append(path).append(' ')
                .append(exchange.status()).append(' ')
                .append(exchange.bytesSent()).append(' ')
                .append(micros / 1000).append('.').append(threeDigits(micros % 1000)).append("ms")
                .append(" cache=").append(exchange.cacheOutcome())
                .append(" verify=").append(exchange.verifyOutcome())
                .append(" id=").append(exchange.requestId())
                .toString();
    }

    /** Zero-padded to three digits without {@code String.format}, which costs more than the rest of the line. */
    static String threeDigits(long n) {
        return n >= 100 ? Long.toString(n) : n >= 10 ? "0" + n : "00" + n;
    }

    private static String json(HttpExchange exchange, String path, long micros) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("remote", exchange.remote());
        line.put("method", exchange.method().name());
        line.put("path", path);
        line.put("status", exchange.status());
        line.put("bytes", exchange.bytesSent());
        line.put("duration_ms", micros / 1000.0);
        line.put("cache", exchange.cacheOutcome());
        line.put("verify", exchange.verifyOutcome());
        line.put("id", exchange.requestId());
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an access-log line of plain values cannot fail to serialize", e);
        }
    }

    /** A query string may carry a token some client appended; Signet's own URLs never need one. */
    private static String withoutQuery(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q) + "?...";
    }
}
