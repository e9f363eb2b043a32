package io.calltrack.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Netty TCP listener (one acceptor thread, one event loop per core) together with the bounded executor its
 * handlers hand blocking work to, so the event loops never wait on the database. Shared by the FastAGI and HTTP
 * servers; stopping it stops all three. {@code name} is also the listener's configuration prefix
 * ({@code http.port}).
 */
public final class TcpListener implements AutoCloseable {
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ThreadPoolExecutor blocking;
    private final Channel channel;

    private TcpListener(EventLoopGroup boss, EventLoopGroup workers, ThreadPoolExecutor blocking, Channel channel) {
        this.boss = boss;
        this.workers = workers;
        this.blocking = blocking;
        this.channel = channel;
    }

    /** A fixed pool whose full queue refuses work (AbortPolicy) instead of queueing forever. */
    public static ThreadPoolExecutor boundedExecutor(String name, int threads, int queue) {
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                new DefaultThreadFactory(name + "-work"), new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Binds {@code host:port} (0: any free port); {@code pipeline} sets up each accepted connection. A port another
     * program has is a {@link PortInUseException} naming {@code <name>.port}; nothing is left running then.
     */
    public static TcpListener start(String name, String host, int port, ThreadPoolExecutor blocking,
                                    Consumer<ChannelPipeline> pipeline) throws InterruptedException {
        EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory(name + "-boss"));
        EventLoopGroup workers = new NioEventLoopGroup(0, new DefaultThreadFactory(name + "-io"));
        try {
            Channel channel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            pipeline.accept(c.pipeline());
                        }
                    })
                    .bind(host, port).sync().channel();
            return new TcpListener(boss, workers, blocking, channel);
        } catch (Exception e) { // sync() rethrows the bind's checked exceptions undeclared
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            blocking.shutdown();
            if (e instanceof BindException) throw new PortInUseException(name + ".port", host, port, e);
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        blocking.shutdown();
    }
}
