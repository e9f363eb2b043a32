package io.calltrack.agi;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** The FastAGI server's meters: sessions open now, sessions ever, protocol errors by kind, executor rejections. */
final class AgiMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger active;
    private final Counter sessions;
    private final Counter rejected;

    AgiMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.active = registry.gauge("calltrack.agi.sessions.active", new AtomicInteger());
        this.sessions = Counter.builder("calltrack.agi.sessions").description("FastAGI connections accepted")
                .register(registry);
        this.rejected = Counter.builder("calltrack.agi.executor.rejected")
                .description("blocking work refused because the AGI executor was full").register(registry);
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
