package io.calltrack.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Netty HTTP listener: visitor API, management API, snippet, health and metrics. */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ThreadPoolExecutor blocking;
    private final Channel channel;

    private HttpServer(EventLoopGroup boss, EventLoopGroup workers, ThreadPoolExecutor blocking, Channel channel) {
        this.boss = boss;
        this.workers = workers;
        this.blocking = blocking;
        this.channel = channel;
    }

    public static HttpServer start(String host, int port, int workerThreads, List<Route> routes,
                                   AdminAuth auth, ObjectMapper json) throws InterruptedException {
        // handlers use the database: they run here, never on the event loop; a full queue answers 503
        ThreadPoolExecutor blocking = new ThreadPoolExecutor(workerThreads, workerThreads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(workerThreads * 64), new DefaultThreadFactory("http-work"),
                new ThreadPoolExecutor.AbortPolicy());
        Dispatcher dispatcher = new Dispatcher(routes, auth, json, blocking);
        EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("http-boss"));
        EventLoopGroup workers = new NioEventLoopGroup(0, new DefaultThreadFactory("http-io"));
        Channel ch = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline()
                                .addLast(new IdleStateHandler(0, 0, 120))
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(MAX_BODY_BYTES))
                                .addLast(new ChunkedWriteHandler())
                                .addLast(dispatcher);
                    }
                })
                .bind(host, port).sync().channel();
        log.info("HTTP API listening on {}", ch.localAddress());
        return new HttpServer(boss, workers, blocking, ch);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        blocking.shutdown();
    }
}
