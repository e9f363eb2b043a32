package io.calltrack.platform.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.access.Authenticator;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.platform.net.TcpListener;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Netty HTTP listener: visitor API, management API, snippet, health and metrics. */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    private final TcpListener listener;
    private final List<Route> routes;

    private HttpServer(TcpListener listener, List<Route> routes) {
        this.listener = listener;
        this.routes = List.copyOf(routes);
    }

    public static HttpServer start(CalltrackConfig.Http config, List<Route> routes, Authenticator authenticator,
                                   ObjectMapper json)
            throws InterruptedException {
        // handlers use the database: they run here, never on the event loop; a full queue answers 503
        ThreadPoolExecutor blocking = TcpListener.boundedExecutor("http", config.workerThreads(), config.workerQueue());
        Dispatcher dispatcher = new Dispatcher(routes, authenticator, json, blocking);
        ConnectionsPerIp perIp = new ConnectionsPerIp(config.maxConnectionsPerIp());
        ConnectionErrors errors = new ConnectionErrors(json);
        TcpListener listener = TcpListener.start("http", config.host(), config.port(), config.drainTimeout(), blocking,
                pipeline -> {
            RequestDeadlines deadlines = new RequestDeadlines(config.headerTimeout(), config.bodyTimeout(), errors);
            pipeline.addLast(perIp)
                    .addLast(new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                    .addLast(deadlines.bytes())
                    .addLast(new HttpServerCodec())
                    .addLast(deadlines.messages())
                    .addLast(new HttpDrain())
                    .addLast(new BodyLimit(config.maxBodySize(), errors))
                    .addLast(new ChunkedWriteHandler())
                    .addLast(dispatcher);
        });
        log.info("HTTP API listening on {}", listener.address());
        return new HttpServer(listener, routes);
    }

    /** The routes it serves. */
    public List<Route> routes() {
        return routes;
    }

    public int port() {
        return listener.address().getPort();
    }

    @Override
    public void close() {
        listener.close();
    }
}
