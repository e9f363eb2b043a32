package io.calltrack.telephony.agi;

import io.calltrack.config.CalltrackConfig;
import io.calltrack.platform.net.TcpListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FastAGI listener Asterisk connects to ({@code AGI(agi://host:4573/incoming)}). Event-loop threads only parse
 * and write lines; scripts' blocking work runs on a bounded executor that refuses work when full.
 */
public final class AgiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgiServer.class);

    private final TcpListener listener;

    private AgiServer(TcpListener listener) {
        this.listener = listener;
    }

    public static AgiServer start(CalltrackConfig.Agi config, AgiScripts scripts, MeterRegistry registry)
            throws InterruptedException {
        ThreadPoolExecutor blocking = TcpListener.boundedExecutor("agi", config.executorThreads(),
                config.executorQueue());
        AgiMetrics metrics = new AgiMetrics(registry, blocking);
        StringEncoder encoder = new StringEncoder(StandardCharsets.UTF_8);
        TcpListener listener = TcpListener.start("agi", config.host(), config.port(), config.drainTimeout(), blocking,
                pipeline -> pipeline
                        .addLast(new LineBasedFrameDecoder(config.maxLineLength(), true, true))
                        .addLast(new AgiDecoder(config.maxHeaderLines()))
                        .addLast(encoder)
                        .addLast(new AgiConnectionHandler(scripts, blocking, metrics, config.headerTimeout(),
                                config.maxLineLength())));
        log.info("FastAGI listening on {} with scripts {}", listener.address(), scripts.paths());
        return new AgiServer(listener);
    }

    public int port() {
        return listener.address().getPort();
    }

    @Override
    public void close() {
        listener.close();
    }
}
