package dev.signet.server.shared;

/** The store failed (unreachable, timed out, 5xx, throttled, a body cut short): skip it, fill from the upstream. */
final class StoreFault extends Exception {

    StoreFault(String message, Throwable cause) {
        super(message, cause);
    }
}
