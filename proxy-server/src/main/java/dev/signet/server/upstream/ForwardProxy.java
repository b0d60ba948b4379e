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

    /**
     * A fresh CONNECT handler (one per connection) that dials the proxy at {@code proxyAddress} (this proxy's name,
     * already resolved off the event loop), failing after {@code connectMillis}.
     */
    HttpProxyHandler tunnel(InetSocketAddress proxyAddress, long connectMillis) {
        HttpProxyHandler handler = user == null ? new HttpProxyHandler(proxyAddress)
                : new HttpProxyHandler(proxyAddress, user, password);
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
