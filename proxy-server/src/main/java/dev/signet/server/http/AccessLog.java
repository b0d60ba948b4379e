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
            log.info("{}", json(exchange, path, micros));
            return;
        }
        log.info("{} {} {} {} {} {}.{}ms cache={} verify={} id={}",
                exchange.remote(), exchange.method(), path, exchange.status(),
                exchange.bytesSent(), micros / 1000, threeDigits(micros % 1000),
                exchange.cacheOutcome(), exchange.verifyOutcome(), exchange.requestId());
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
