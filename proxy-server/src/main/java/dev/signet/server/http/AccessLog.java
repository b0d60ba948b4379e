package dev.signet.server.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@code signet.access} logger: who, what, outcome, size, time, and what the cache and
 * the verifier did. Paths are made printable; headers (which may carry credentials) are never logged.
 */
final class AccessLog {

    private static final Logger log = LoggerFactory.getLogger("signet.access");

    private AccessLog() {
    }

    static void record(HttpExchange exchange) {
        if (!log.isInfoEnabled()) {
            return;
        }
        long micros = (System.nanoTime() - exchange.startNanos()) / 1_000;
        log.info("{} {} {} {} {} {}.{}ms cache={} verify={} id={}",
                exchange.remote(), exchange.method(), Route.printable(exchange.uri()), exchange.status(),
                exchange.bytesSent(), micros / 1000, String.format("%03d", micros % 1000),
                exchange.cacheOutcome(), exchange.verifyOutcome(), exchange.requestId());
    }
}
