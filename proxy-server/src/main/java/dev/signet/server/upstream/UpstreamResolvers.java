package dev.signet.server.upstream;

import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import java.net.InetSocketAddress;

/**
 * Name resolution for upstream and forward-proxy connections. Netty's default resolver calls
 * {@code InetAddress.getByName}, which blocks the event loop for as long as a DNS server takes to answer; Netty's DNS
 * resolver asks asynchronously on the connection's own loop, reads {@code /etc/hosts} and {@code /etc/resolv.conf},
 * and caches answers for their TTL.
 */
final class UpstreamResolvers {

    private UpstreamResolvers() {
    }

    /** A resolver group whose DNS traffic uses the same transport as the sockets it resolves for. */
    static AddressResolverGroup<InetSocketAddress> forTransport(Class<? extends SocketChannel> socketType) {
        Class<? extends DatagramChannel> datagramType =
                socketType == EpollSocketChannel.class ? EpollDatagramChannel.class : NioDatagramChannel.class;
        return new DnsAddressResolverGroup(new DnsNameResolverBuilder().datagramChannelType(datagramType));
    }
}
