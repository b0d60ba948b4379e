package dev.signet.server.config;

import dev.signet.server.access.BcryptUser;
import dev.signet.server.access.Cidr;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How Signet is operated, as opposed to what it verifies: the admin listener, logs, shutdown, TLS, the upstream
 * forward proxy and client access control. Optional values are {@code null} when not configured.
 */
public record OperationsConfig(
        Admin admin,
        AccessLogFormat accessLogFormat,
        Shutdown shutdown,
        Https https,
        Upstream upstream,
        Access access) {

    public enum AccessLogFormat { TEXT, JSON }

    /**
     * The admin listener. {@code token} (never {@code null} when purges are possible) guards every state-changing
     * call; {@code openProbes} decides whether {@code /livez}, {@code /readyz} and {@code /metrics} need it too.
     */
    public record Admin(InetSocketAddress listen, String token, boolean openProbes) {
        @Override
        public String toString() {
            return "Admin[listen=" + listen + ", token=" + (token == null ? "none" : "<redacted>") + ", openProbes=" + openProbes + "]";
        }
    }

    /** SIGTERM: readiness fails at once; {@code drainDelay} later the listeners close; transfers get {@code drainTimeout}. */
    public record Shutdown(Duration drainDelay, Duration drainTimeout) {}

    /** An HTTPS public listener, or {@code null} fields for none. */
    public record Https(InetSocketAddress listen, Path certificate, Path privateKey) {
        public boolean enabled() {
            return listen != null;
        }
    }

    /** {@code caBundle}: PEM trust anchors for HTTPS upstreams instead of the system's; {@code proxy}: http_proxy-style URL. */
    public record Upstream(Path caBundle, URI proxy) {}

    /**
     * Public-port access control; both lists empty = open. Password checks run on {@code passwordCheckThreads}
     * threads of their own (0 = automatic) with at most {@code passwordCheckQueue} waiting; a credential that passed
     * is remembered for {@code credentialCacheTtl} (zero = never).
     */
    public record Access(List<Cidr> allowNetworks, List<BcryptUser> users, int passwordCheckThreads,
                         int passwordCheckQueue, Duration credentialCacheTtl) {
        public boolean open() {
            return allowNetworks.isEmpty() && users.isEmpty();
        }
    }
}
