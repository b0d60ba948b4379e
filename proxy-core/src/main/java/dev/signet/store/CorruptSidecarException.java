package dev.signet.store;

import java.io.IOException;

/** A sidecar exists but does not hold a well-formed record for its artifact. */
final class CorruptSidecarException extends IOException {

    private static final long serialVersionUID = 1L;

    CorruptSidecarException(String message) {
        super(message);
    }
}
