package io.calltrack.platform.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Netty TCP listener (one acceptor thread, one event loop per core) together with the bounded executor its
 * handlers hand blocking work to, so the event loops never wait on the database. Shared by the FastAGI and HTTP
 * servers; stopping it stops all three. {@code name} is also the listener's configuration prefix
 * ({@code http.port}, {@code agi.drain-timeout}), so its log lines can name the key to change.
 * <p>
 * Stopping drains: no new connections are accepted, every open one is told {@link #DRAIN} and given up to the
 * drain timeout to finish what it is doing (an HTTP request, a FastAGI session) and close; what is still open then
 * is closed.
 */
public final class TcpListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TcpListener.class);
    /** Fired through the pipeline of every open connection when the listener stops: finish, then close. */
    public static final Object DRAIN = new Object() {
        @Override
        public String toString() {
            return "DRAIN";
        }
    };

    private final String name;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ThreadPoolExecutor blocking;
    private final Channel channel;
    private final ChannelGroup connections;
    private final Duration drainTimeout;

    private TcpListener(String name, EventLoopGroup boss, EventLoopGroup workers, ThreadPoolExecutor blocking,
                        Channel channel, ChannelGroup connections, Duration drainTimeout) {
        this.name = name;
        this.boss = boss;
        this.workers = workers;
        this.blocking = blocking;
        this.channel = channel;
        this.connections = connections;
        this.drainTimeout = drainTimeout;
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
    public static TcpListener start(String name, String host, int port, Duration drainTimeout,
                                    ThreadPoolExecutor blocking, Consumer<ChannelPipeline> pipeline)
            throws InterruptedException {
        EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory(name + "-boss"));
        EventLoopGroup workers = new NioEventLoopGroup(0, new DefaultThreadFactory(name + "-io"));
        ChannelGroup connections = new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE);
        try {
            Channel channel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            connections.add(c);
                            pipeline.accept(c.pipeline());
                        }
                    })
                    .bind(host, port).sync().channel();
            return new TcpListener(name, boss, workers, blocking, channel, connections, drainTimeout);
        } catch (Exception e) { // sync() rethrows the bind's checked exceptions undeclared
            stopThreads(boss, workers, blocking);
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
        // connections accepted just before are still being registered on their event loops: wait for that,
        // so each of them is told to drain too
        workers.forEach(loop -> loop.submit(() -> { }).syncUninterruptibly());
        List<Channel> open = List.copyOf(connections);
        if (!open.isEmpty()) {
            log.info("{}: no longer accepting; letting {} open connections finish (at most {} s, {}.drain-timeout)",
                    name, open.size(), drainTimeout.toSeconds(), name);
            open.forEach(c -> c.pipeline().fireUserEventTriggered(DRAIN));
            long deadline = System.nanoTime() + drainTimeout.toNanos();
            for (Channel c : open) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !c.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) break;
            }
            if (!connections.isEmpty()) {
                log.warn("{}: closing {} connections still busy after {} s ({}.drain-timeout)", name,
                        connections.size(), drainTimeout.toSeconds(), name);
            }
        }
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        stopThreads(boss, workers, blocking);
    }

    /** Lets the handlers' last tasks end (their connections are closed: they fail fast), then stops the threads. */
    private static void stopThreads(EventLoopGroup boss, EventLoopGroup workers, ThreadPoolExecutor blocking) {
        blocking.shutdown();
        try {
            blocking.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
