package dev.signet.server.admin;

import dev.signet.server.artifact.ArtifactService;
import dev.signet.server.config.OperationsConfig;
import dev.signet.server.config.RequestHeadLimits;
import dev.signet.server.http.RequestHeads;
import dev.signet.server.index.IndexService;
import dev.signet.server.lifecycle.StartupFailure;
import dev.signet.server.metrics.SignetMetrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The admin listener: its own port and its own small pipeline (a read timeout, the codec and request gate with the
 * same head limits and refusals as the public listener, one request at a time, the admin handler). Nothing it answers
 * is reachable on the public port.
 */
public final class AdminServer implements AutoCloseable {

    private final Channel channel;

    private AdminServer(Channel channel) {
        this.channel = channel;
    }

    public static AdminServer bind(EventLoopGroup group, Class<? extends ServerChannel> channelType,
                                   OperationsConfig.Admin config, Readiness readiness, SignetMetrics metrics,
                                   IndexService index, ArtifactService artifacts, Executor workers,
                                   RequestHeadLimits requestHead) throws IOException {
        return bind(group, channelType, config, readiness, metrics, index, artifacts, workers, requestHead, null, null,
                null);
    }

    /**
     * As above, with the status page ({@code GET /}, {@code /status}; {@code null} for none, a blocking supplier) and
     * the policy's admin calls ({@code /policy}; {@code rules} and {@code state} null: none).
     */
    public static AdminServer bind(EventLoopGroup group, Class<? extends ServerChannel> channelType,
                                   OperationsConfig.Admin config, Readiness readiness, SignetMetrics metrics,
                                   IndexService index, ArtifactService artifacts, Executor workers,
                                   RequestHeadLimits requestHead, Supplier<String> statusPage,
                                   dev.signet.server.policy.PolicyRules rules,
                                   dev.signet.server.policy.PolicyState state) throws IOException {
        AdminRoutes routes = new AdminRoutes(readiness, metrics, index, artifacts, statusPage,
                rules == null ? null : new PolicyRoutes(rules, state));
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("timeout", new ReadTimeoutHandler(60))
                                .addLast("codec", RequestHeads.codec(requestHead))
                                .addLast("gate", RequestHeads.gate(requestHead))
                                .addLast("admin", new AdminHandler(routes, config.token(), config.openProbes(), workers));
                    }
                });
        InetSocketAddress address = new InetSocketAddress(config.listen().getHostString(), config.listen().getPort());
        try {
            return new AdminServer(bootstrap.bind(address).sync().channel());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding the admin listener " + address, e);
        } catch (Exception e) {
            throw StartupFailure.of("admin-listen", "listen on",
                    config.listen().getHostString() + ":" + config.listen().getPort(), e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
