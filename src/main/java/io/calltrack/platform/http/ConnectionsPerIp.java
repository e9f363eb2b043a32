package io.calltrack.platform.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code cap} open connections from one address (http.max-connections-per-ip): one host cannot hold the
 * listener's file descriptors and threads with idle or trickling connections. Behind a reverse proxy every
 * connection comes from the proxy: size the cap for it, or leave the limit to the proxy.
 */
@ChannelHandler.Sharable
final class ConnectionsPerIp extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionsPerIp.class);

    private final int cap;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();

    ConnectionsPerIp(int cap) {
        this.cap = cap;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress ip = ip(ctx);
        int now = open.computeIfAbsent(ip, k -> new AtomicInteger()).incrementAndGet();
        if (now > cap) {
            if (now == cap + 1) {
                log.warn("{} has {} HTTP connections open; refusing more (http.max-connections-per-ip={})",
                        ip.getHostAddress(), cap, cap);
            }
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open.computeIfPresent(ip(ctx), (k, n) -> n.decrementAndGet() <= 0 ? null : n);
        super.channelInactive(ctx);
    }

    private static InetAddress ip(ChannelHandlerContext ctx) {
        return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    }
}
