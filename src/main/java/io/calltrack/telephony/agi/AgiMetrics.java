package io.calltrack.telephony.agi;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/** The FastAGI server's meters: sessions open now, sessions ever, protocol errors by kind, the executor's load
 * and rejections. */
final class AgiMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger active;
    private final Counter sessions;
    private final Counter rejected;

    AgiMetrics(MeterRegistry registry, ThreadPoolExecutor blocking) {
        this.registry = registry;
        this.active = registry.gauge("calltrack.agi.sessions.active", new AtomicInteger());
        this.sessions = Counter.builder("calltrack.agi.sessions").description("FastAGI connections accepted")
                .register(registry);
        this.rejected = Counter.builder("calltrack.agi.executor.rejected")
                .description("blocking work refused because the AGI executor was full").register(registry);
        Gauge.builder("calltrack.agi.executor.busy", blocking, ThreadPoolExecutor::getActiveCount)
                .description("AGI executor threads running blocking work").register(registry);
        Gauge.builder("calltrack.agi.executor.queued", blocking, e -> e.getQueue().size())
                .description("blocking work waiting for an AGI executor thread").register(registry);
    }

    void opened() {
        sessions.increment();
        active.incrementAndGet();
    }

    void closed() {
        active.decrementAndGet();
    }

    void rejected() {
        rejected.increment();
    }

    /** {@code kind}: malformed, too-long, header-timeout, unknown-script, unexpected-reply. */
    void protocolError(String kind) {
        Counter.builder("calltrack.agi.protocol.errors").tag("kind", kind)
                .description("FastAGI connections closed for input that is not Asterisk's AGI").register(registry)
                .increment();
    }
}
