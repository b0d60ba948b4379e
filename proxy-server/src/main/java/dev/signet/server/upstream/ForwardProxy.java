package dev.signet.server.upstream;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.proxy.HttpProxyHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An HTTP forward proxy for upstream traffic, given http_proxy-style ({@code http://[USER:PASSWORD@]HOST:PORT}).
 * Plain-http requests go to it in absolute form; https upstreams are tunnelled through it with CONNECT. Signet does not
 * need to trust it: a proxy that alters an artifact only gets that artifact refused.
 */
public final class ForwardProxy {

    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private ForwardProxy(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /** {@code url} as validated by the configuration: http scheme, host and port, optional user info. */
    public static ForwardProxy of(URI url) {
        String user = null;
        String password = null;
        if (url.getRawUserInfo() != null) {
            String info = url.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? "" : decode(info.substring(colon + 1));
        }
        return new ForwardProxy(url.getHost(), url.getPort(), user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    /** A fresh CONNECT handler (one per connection), failing after {@code connectMillis}. */
    HttpProxyHandler tunnel(long connectMillis) {
        // Resolved here, per connection: the CONNECT handler dials this address itself (the bootstrap's resolver is
        // off so the proxy, not Signet, resolves the upstream host). A literal address or /etc/hosts entry is
        // immediate; a DNS name is looked up once and then cached by the JVM.
        InetSocketAddress address = new InetSocketAddress(host, port);
        HttpProxyHandler handler = user == null ? new HttpProxyHandler(address) : new HttpProxyHandler(address, user, password);
        handler.setConnectTimeoutMillis(connectMillis);
        return handler;
    }

    /** Adds proxy credentials to a request sent to the proxy in absolute form. */
    void authorize(HttpHeaders headers) {
        if (user != null) {
            String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            headers.set(HttpHeaderNames.PROXY_AUTHORIZATION, "Basic " + credentials);
        }
    }

    /** Never with credentials: this ends up in logs and error messages. */
    @Override
    public String toString() {
        return host + ":" + port;
    }
}
