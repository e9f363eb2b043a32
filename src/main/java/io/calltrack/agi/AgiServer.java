package io.calltrack.agi;

import io.calltrack.config.CalltrackConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FastAGI listener Asterisk connects to ({@code AGI(agi://host:4573/incoming)}). Event-loop threads only parse
 * and write lines; scripts' blocking work runs on a bounded executor that refuses work when full.
 */
public final class AgiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgiServer.class);

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ThreadPoolExecutor blocking;
    private final Channel listener;

    private AgiServer(EventLoopGroup boss, EventLoopGroup workers, ThreadPoolExecutor blocking, Channel listener) {
        this.boss = boss;
        this.workers = workers;
        this.blocking = blocking;
        this.listener = listener;
    }

    public static AgiServer start(CalltrackConfig.Agi config, AgiScripts scripts, MeterRegistry registry)
            throws InterruptedException {
        ThreadPoolExecutor blocking = new ThreadPoolExecutor(config.executorThreads(), config.executorThreads(),
                60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(config.executorQueue()),
                new DefaultThreadFactory("agi-work"), new ThreadPoolExecutor.AbortPolicy());
        AgiMetrics metrics = new AgiMetrics(registry, blocking);
        EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("agi-boss"));
        EventLoopGroup workers = new NioEventLoopGroup(0, new DefaultThreadFactory("agi-io"));
        StringEncoder encoder = new StringEncoder(StandardCharsets.UTF_8);
        try {
            Channel listener = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline()
                                    .addLast(new LineBasedFrameDecoder(config.maxLineLength(), true, true))
                                    .addLast(new AgiDecoder(config.maxHeaderLines()))
                                    .addLast(encoder)
                                    .addLast(new AgiConnectionHandler(scripts, blocking, metrics,
                                            config.headerTimeout(), config.maxLineLength()));
                        }
                    })
                    .bind(config.host(), config.port()).sync().channel();
            log.info("FastAGI listening on {} with scripts {}", listener.localAddress(), scripts.paths());
            return new AgiServer(boss, workers, blocking, listener);
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            blocking.shutdown();
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        blocking.shutdown();
    }
}
