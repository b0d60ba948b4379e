package dev.signet.server.upstream;

import dev.signet.server.concurrent.Futures;
import dev.signet.server.upstream.UpstreamException.Kind;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import dev.signet.events.SignetListener;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;

/**
 * HTTP/1.1 client for upstream indexes, built on the same event loop group as the server. Connections are kept alive
 * and reused per upstream host ({@link ConnectionPool}); a request that finds its pooled connection closed by the
 * upstream is sent once more on a new one. Request headers never carry anything but what the caller passed
 * (credentials are added by the caller, only for the host they belong to).
 */
public final class UpstreamClient {

    /** Bigger than Netty's default 8 KiB so a large artifact streams in fewer, larger steps. */
    private static final int MAX_CHUNK_SIZE = 64 * 1024;
    private static final String USER_AGENT = "signet/" + UpstreamClient.class.getPackage().getImplementationVersion();

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final UpstreamTimeouts timeouts;
    private final SslContext tls;
    private final ForwardProxy proxy;
    private final SignetListener listener;
    /** Keep-alive connections per upstream host: at most 16 idle per host, closed after 30 s unused. */
    private final ConnectionPool pool = new ConnectionPool(16, java.time.Duration.ofSeconds(30));
    /** Upstream and proxy names are looked up without blocking the loop that connects. */
    private final AddressResolverGroup<InetSocketAddress> resolvers;

    public UpstreamClient(EventLoopGroup group, Class<? extends SocketChannel> channelType, UpstreamTimeouts timeouts) {
        this(group, channelType, timeouts, defaultTls(), null, SignetListener.NONE);
    }

    /**
     * @param tls      client TLS context for https:// upstreams (trust anchors decided by the caller)
     * @param proxy    forward proxy for every upstream connection, or {@code null} for direct connections
     * @param listener told about every exchange (duration and outcome)
     */
    public UpstreamClient(EventLoopGroup group, Class<? extends SocketChannel> channelType, UpstreamTimeouts timeouts,
                          SslContext tls, ForwardProxy proxy, SignetListener listener) {
        this.group = group;
        this.channelType = channelType;
        this.timeouts = timeouts;
        this.tls = tls;
        this.proxy = proxy;
        this.listener = listener;
        this.resolvers = UpstreamResolvers.forTransport(channelType);
    }

    private static SslContext defaultTls() {
        try {
            return SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot initialise TLS for upstream connections", e);
        }
    }

    public UpstreamTimeouts timeouts() {
        return timeouts;
    }

    /** GET {@code uri} and collect a body of at most {@code maxBytes}. Completes with any status the upstream sent. */
    public CompletableFuture<UpstreamResponse> fetch(URI uri, Map<String, String> headers, int maxBytes, EventLoop loop) {
        CompletableFuture<UpstreamResponse> result = new CompletableFuture<>();
        long started = System.nanoTime();
        result.whenComplete((response, error) -> report(uri, started, response == null ? 0 : response.status(), error));
        start(uri, headers, new UpstreamExchange.Aggregate(maxBytes, result), loop, result);
        return result;
    }

    /**
     * GET {@code uri} and stream a {@code 200} body to {@code sink}. Any other status completes the result with an
     * {@link UpstreamException} of kind {@link Kind#STATUS} before the sink sees a byte.
     */
    public CompletableFuture<StreamedResponse> stream(URI uri, Map<String, String> headers, BodySink sink, EventLoop loop) {
        CompletableFuture<StreamedResponse> result = new CompletableFuture<>();
        long started = System.nanoTime();
        result.whenComplete((response, error) -> report(uri, started, 200, error));
        start(uri, headers, new UpstreamExchange.Stream(sink, result), loop, result);
        return result;
    }

    private void report(URI uri, long started, int status, Throwable error) {
        String outcome = status / 100 + "xx";
        if (error != null) {
            Throwable cause = Futures.unwrap(error);
            if (cause instanceof UpstreamException ue) {
                outcome = ue.kind() == Kind.STATUS ? ue.status() / 100 + "xx" : ue.kind().tag();
            }
            // Any other failure is the sink's (a refused signature, a full disk): the upstream itself answered 200.
        }
        listener.upstreamExchange(uri.getHost(), outcome, System.nanoTime() - started);
    }

    private void start(URI uri, Map<String, String> extraHeaders, UpstreamExchange.Mode mode, EventLoop loop,
                       CompletableFuture<?> result) {
        boolean secure = "https".equalsIgnoreCase(uri.getScheme());
        if (!secure && !"http".equalsIgnoreCase(uri.getScheme())) {
            result.completeExceptionally(new UpstreamException(Kind.CONNECT, "unsupported upstream scheme in " + uri));
            return;
        }
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : (secure ? 443 : 80);
        Target target = new Target(uri, secure, host, port, extraHeaders, mode, result,
                new ConnectionPool.Key(secure ? "https" : "http", host, port));
        Channel pooled = pool.take(target.key());
        if (pooled == null) {
            connect(target, loop);
            return;
        }
        pooled.eventLoop().execute(() -> {
            if (!ConnectionPool.reuse(pooled)) {
                connect(target, loop);
                return;
            }
            pooled.pipeline().addLast("exchange", exchange(target, () -> connect(target, loop)));
        });
    }

    /** One upstream request: where it goes and what to do with the answer. */
    private record Target(URI uri, boolean secure, String host, int port, Map<String, String> headers,
                          UpstreamExchange.Mode mode, CompletableFuture<?> result, ConnectionPool.Key key) {}

    private UpstreamExchange exchange(Target t, Runnable retryOnFreshConnection) {
        // Plain http through a proxy is a request in absolute form to the proxy; https is tunnelled with CONNECT.
        boolean absoluteForm = proxy != null && !t.secure();
        FullHttpRequest request = request(t.uri(), t.host(), t.port(), t.secure(), t.headers(), absoluteForm);
        if (absoluteForm) {
            proxy.authorize(request.headers());
        }
        return new UpstreamExchange(redacted(t.uri()), request, timeouts, t.mode(), (ctx, reusable) -> {
            if (reusable) {
                pool.park(t.key(), ctx.channel());
            } else {
                ctx.close();
            }
        }, retryOnFreshConnection);
    }

    private void connect(Target t, EventLoop loop) {
        UpstreamExchange exchange = exchange(t, null);
        EventLoop connectLoop = loop != null ? loop : group.next();
        Bootstrap bootstrap = new Bootstrap()
                .group(connectLoop)
                .channel(channelType)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeouts.connect().toMillis()));
        if (proxy == null || !t.secure()) {
            // Direct, or plain http in absolute form to the proxy: the bootstrap resolves the name it dials.
            bootstrap.resolver(resolvers).handler(initializer(t, exchange, null));
            whenConnected(t, exchange, proxy == null
                    ? bootstrap.connect(t.host(), t.port()) : bootstrap.connect(proxy.host(), proxy.port()));
            return;
        }
        // CONNECT through the proxy: the proxy handler dials the proxy's address itself, so that name is looked up
        // here first (asynchronously); the upstream's own name is left unresolved, for the proxy to resolve.
        resolvers.getResolver(connectLoop).resolve(InetSocketAddress.createUnresolved(proxy.host(), proxy.port()))
                .addListener(resolved -> {
                    if (!resolved.isSuccess()) {
                        failBeforeConnecting(t, exchange, new UpstreamException(Kind.CONNECT,
                                "cannot resolve forward proxy " + proxy + " for " + redacted(t.uri()) + ": "
                                        + resolved.cause().getMessage(), resolved.cause()));
                        return;
                    }
                    InetSocketAddress proxyAddress = (InetSocketAddress) resolved.getNow();
                    bootstrap.resolver(io.netty.resolver.NoopAddressResolverGroup.INSTANCE)
                            .handler(initializer(t, exchange, proxyAddress));
                    whenConnected(t, exchange, bootstrap.connect(InetSocketAddress.createUnresolved(t.host(), t.port())));
                });
    }

    /** A failed connect fails the exchange with a clear reason; a successful one lets the exchange start. */
    private void whenConnected(Target t, UpstreamExchange exchange, ChannelFuture connect) {
        String host = t.host();
        int port = t.port();
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                Channel ch = connect.channel();
                ChannelHandlerContext ctx = ch.pipeline().context(exchange);
                UpstreamException failure = new UpstreamException(Kind.CONNECT,
                        "cannot connect to upstream " + host + ":" + port + (proxy == null ? "" : " through proxy " + proxy)
                                + " for " + redacted(t.uri()) + ": " + f.cause().getMessage(), f.cause());
                if (ctx != null) {
                    exchange.fail(ctx, failure);
                } else {
                    failBeforeConnecting(t, exchange, failure);
                }
            }
        });
    }

    /** No channel ever carried the exchange: free its unsent request and fail the caller. */
    private static void failBeforeConnecting(Target t, UpstreamExchange exchange, UpstreamException failure) {
        exchange.releaseUnsent();
        t.result().completeExceptionally(failure);
    }

    /** The upstream connection's pipeline: CONNECT tunnel (when {@code proxyAddress} is given), TLS, HTTP, exchange. */
    private ChannelInitializer<SocketChannel> initializer(Target t, UpstreamExchange exchange, InetSocketAddress proxyAddress) {
        return new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ChannelPipeline p = ch.pipeline();
                if (proxyAddress != null) {
                    p.addLast("proxy", proxy.tunnel(proxyAddress, timeouts.connect().toMillis()));
                }
                if (t.secure()) {
                    p.addLast("tls", tls.newHandler(ch.alloc(), t.host(), t.port()));
                }
                p.addLast("codec", new HttpClientCodec(
                        new HttpDecoderConfig().setMaxChunkSize(MAX_CHUNK_SIZE), false, false));
                p.addLast("exchange", exchange);
            }
        };
    }

    /** Closes every idle pooled connection and the name resolvers (at shutdown). */
    public void close() {
        pool.closeAll();
        resolvers.close();
    }

    private static FullHttpRequest request(URI uri, String host, int port, boolean secure, Map<String, String> extraHeaders,
                                           boolean absoluteForm) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        boolean defaultPort = port == (secure ? 443 : 80);
        if (absoluteForm) {
            path = "http://" + (defaultPort ? host : host + ":" + port) + path;
        }
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.set(HttpHeaderNames.HOST, defaultPort ? host : host + ":" + port);
        headers.set(HttpHeaderNames.USER_AGENT, USER_AGENT);
        headers.set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY);
        extraHeaders.forEach(headers::set);
        return UpstreamExchange.newRequest(path, headers);
    }

    /** The URL as it may appear in logs and client-facing messages: never with user info. */
    public static String redacted(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
