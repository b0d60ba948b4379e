package dev.signet.server.demo;

import java.time.Duration;
import java.util.Objects;

/** A misbehaviour {@link StaticIndexServer} injects for one path, to test how Signet copes with a bad upstream. */
public final class Fault {
    enum Kind { STATUS, BODY, TRUNCATE, STALL, DELAY, HANG }

    private final Kind kind;
    private final int status;
    private final byte[] body;
    private final long truncateAfter;
    private final Duration delay;

    private Fault(Kind kind, int status, byte[] body, long truncateAfter, Duration delay) {
        this.kind = kind;
        this.status = status;
        this.body = body;
        this.truncateAfter = truncateAfter;
        this.delay = delay;
    }

    /** Answer with this status code and a short plain-text body instead of the file. */
    public static Fault status(int status) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("injected status must be 200..599: " + status);
        }
        return new Fault(Kind.STATUS, status, null, 0, null);
    }

    /** Answer 200 with these bytes (and their length) instead of the file, e.g. a tampered artifact. */
    public static Fault body(byte[] replacementBytes) {
        Objects.requireNonNull(replacementBytes, "replacementBytes");
        return new Fault(Kind.BODY, 200, replacementBytes.clone(), 0, null);
    }

    /** Advertise the file's full Content-Length, send only the first {@code bytesThenClose} bytes, then close. */
    public static Fault truncate(long bytesThenClose) {
        if (bytesThenClose < 0) {
            throw new IllegalArgumentException("truncate length must not be negative: " + bytesThenClose);
        }
        return new Fault(Kind.TRUNCATE, 200, null, bytesThenClose, null);
    }

    /**
     * Advertise the file's full Content-Length, send the first {@code bytesThenStall} bytes, then send nothing more
     * until the server stops: a transfer caught in the middle (e.g. by a shutdown of the proxy reading it).
     */
    public static Fault stall(long bytesThenStall) {
        if (bytesThenStall < 0) {
            throw new IllegalArgumentException("stall offset must not be negative: " + bytesThenStall);
        }
        return new Fault(Kind.STALL, 200, null, bytesThenStall, null);
    }

    /** Wait this long before sending the headers, then serve normally. */
    public static Fault delay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        return new Fault(Kind.DELAY, 200, null, 0, delay);
    }

    /** Never answer; the request is held until the server stops. */
    public static Fault hang() {
        return new Fault(Kind.HANG, 0, null, 0, null);
    }

    Kind kind() {
        return kind;
    }

    int status() {
        return status;
    }

    byte[] body() {
        return body.clone();
    }

    long truncateAfter() {
        return truncateAfter;
    }

    Duration delay() {
        return delay;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case STATUS -> "Fault.status(" + status + ")";
            case BODY -> "Fault.body(" + body.length + " bytes)";
            case TRUNCATE -> "Fault.truncate(" + truncateAfter + ")";
            case STALL -> "Fault.stall(" + truncateAfter + ")";
            case DELAY -> "Fault.delay(" + delay + ")";
            case HANG -> "Fault.hang()";
        };
    }
}
