package io.calltrack.telephony.sip;

import io.calltrack.config.CalltrackConfig;
import io.calltrack.platform.net.PortInUseException;
import io.calltrack.routing.RoutingRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;

/** Everything SIP, started and stopped together: the stack, the redirect server and the OPTIONS prober. */
public final class SipService implements AutoCloseable {
    /** A stop lets routing decisions in flight be answered (they wait on the database at most its 5 s timeout). */
    private static final long DRAIN_SECONDS = 6;

    private final SipEndpoint endpoint;
    private final ThreadPoolExecutor decisions;
    private final ManagerProber prober;

    private SipService(SipEndpoint endpoint, ThreadPoolExecutor decisions, ManagerProber prober) {
        this.endpoint = endpoint;
        this.decisions = decisions;
        this.prober = prober;
    }

    public static SipService start(CalltrackConfig.Sip config, RedirectDecider decider, RedirectRecorder recorder,
                                   RoutingRepository managers, MeterRegistry metrics, Clock clock) throws Exception {
        SipEndpoint endpoint;
        try {
            endpoint = SipEndpoint.start(config.host(), config.port(), config.optionsPort(), config.udpBuffer());
        } catch (IOException e) {
            if (causedBy(e, BindException.class)) {
                throw new PortInUseException("sip.port", config.host(), config.port(), e);
            }
            throw e;
        }
        AtomicInteger threads = new AtomicInteger();
        // no caller-runs: a full queue must never put a database call on the SIP listener thread
        ThreadPoolExecutor decisions = new ThreadPoolExecutor(config.executorThreads(), config.executorThreads(),
                60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(config.executorQueue()), r -> {
                    Thread t = new Thread(r, "sip-decision-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        SipRedirectServer server = new SipRedirectServer(endpoint, decider, recorder, decisions,
                config.fallbackContact(), clock);
        ManagerProber prober = new ManagerProber(endpoint, managers, metrics, config.optionsMissesDown());
        try {
            endpoint.listen(new SipEndpoint.Handlers() {
                @Override
                public void request(RequestEvent event) {
                    server.request(event);
                }

                @Override
                public void response(ResponseEvent event) {
                    prober.response(event);
                }
            });
            prober.start(config.optionsInterval());
        } catch (Exception e) {
            prober.close();
            decisions.shutdownNow();
            endpoint.close();
            throw e;
        }
        return new SipService(endpoint, decisions, prober);
    }

    /** The UDP and TCP port actually bound (the configured one, or the one picked for port 0). */
    public int port() {
        return endpoint.port();
    }

    /** Answers the INVITEs being decided (new ones get the fallback meanwhile), then stops the stack. */
    @Override
    public void close() {
        prober.close();
        decisions.shutdown();
        try {
            decisions.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        decisions.shutdownNow();
        endpoint.close();
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) return true;
        }
        return false;
    }
}
