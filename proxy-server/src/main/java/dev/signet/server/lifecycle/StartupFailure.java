package dev.signet.server.lifecycle;

import java.io.IOException;

/**
 * Why the server could not start, as a person fixes it: the setting, what it named (a path, an address) and the
 * operating system's reason, e.g. {@code cache-dir: cannot use the cache directory /var/cache/signet: permission denied
 * (/var/cache/signet/tmp)}.
 */
public final class StartupFailure extends IOException {
    private static final long serialVersionUID = 1L;

    private StartupFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * {@code setting: cannot ACTION TARGET: REASON}; {@code setting} names the config key, {@code target} the path
     * or address it was set to.
     */
    public static StartupFailure of(String setting, String action, Object target, Throwable cause) {
        return new StartupFailure(setting + ": cannot " + action + " " + target + ": " + OsReason.of(cause, target), cause);
    }
}
