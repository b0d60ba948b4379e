package dev.signet.server.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/** The TLS contexts Signet builds: its HTTPS listener (PEM files) and its upstream client (system or given CAs). */
public final class TlsContexts {

    private TlsContexts() {
    }

    /** Server side of the HTTPS listener; HTTP/1.1 only (no ALPN h2: the pipeline speaks HTTP/1.1). */
    public static SslContext server(Path certificateChain, Path privateKey) throws IOException {
        try {
            return SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile())
                    .applicationProtocolConfig(ApplicationProtocolConfig.DISABLED)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("https.certificate, https.private-key: cannot load the HTTPS certificate " + certificateChain + " and key " + privateKey
                    + ": " + e.getMessage(), e);
        }
    }

    /** Client side for https:// upstreams: the JVM's trust store, or only the CAs in {@code caBundle} when given. */
    public static SslContext client(Path caBundle) throws IOException {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (caBundle != null) {
                builder.trustManager(caBundle.toFile());
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("upstream-ca-bundle: cannot load the upstream CA bundle " + caBundle + ": " + e.getMessage(), e);
        }
    }
}
