package io.calltrack.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.net.TcpListener;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Netty HTTP listener: visitor API, management API, snippet, health and metrics. */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    private final TcpListener listener;

    private HttpServer(TcpListener listener) {
        this.listener = listener;
    }

    /** {@code drainTimeout}: how long a stop waits for requests in flight ({@code http.drain-timeout}). */
    public static HttpServer start(String host, int port, int workerThreads, Duration drainTimeout, List<Route> routes,
                                   AdminAuth auth, ObjectMapper json) throws InterruptedException {
        // handlers use the database: they run here, never on the event loop; a full queue answers 503
        ThreadPoolExecutor blocking = TcpListener.boundedExecutor("http", workerThreads, workerThreads * 64);
        Dispatcher dispatcher = new Dispatcher(routes, auth, json, blocking);
        TcpListener listener = TcpListener.start("http", host, port, drainTimeout, blocking, pipeline -> pipeline
                .addLast(new IdleStateHandler(0, 0, 120))
                .addLast(new HttpServerCodec())
                .addLast(new HttpDrain())
                .addLast(new HttpObjectAggregator(MAX_BODY_BYTES))
                .addLast(new ChunkedWriteHandler())
                .addLast(dispatcher));
        log.info("HTTP API listening on {}", listener.address());
        return new HttpServer(listener);
    }

    public int port() {
        return listener.address().getPort();
    }

    @Override
    public void close() {
        listener.close();
    }
}
