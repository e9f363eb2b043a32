package io.calltrack.reports.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.calls.CallListener;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.db.Jdbc;
import io.calltrack.http.RouteProvider;
import io.calltrack.calls.CallRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;

/** Builds the outgoing-delivery parts (outbox, sender, worker, listener, routes) and stops the worker on close. */
public final class Deliveries implements AutoCloseable {
    private final DeliveryListener listener;
    private final DeliveryRoutes routes;
    private final OutboxWorker worker;

    private Deliveries(DeliveryListener listener, DeliveryRoutes routes, OutboxWorker worker) {
        this.listener = listener;
        this.routes = routes;
        this.worker = worker;
    }

    public static Deliveries start(Jdbc jdbc, CalltrackConfig.Outbox config, ObjectMapper json, MeterRegistry metrics,
                                   Clock clock) {
        CallRepository calls = new CallRepository(jdbc, json);
        Outbox outbox = new Outbox(jdbc, calls, metrics, clock);
        DeliverySettingsStore settings = new DeliverySettingsStore(jdbc);
        OutboxPolicy policy = policy(config);
        HttpClient client = HttpClient.newBuilder().connectTimeout(config.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        HttpSender sender = new HttpSender(client, calls, settings, json, config.requestTimeout());
        OutboxWorker worker = OutboxWorker.start(outbox, sender, policy, config.pollInterval());
        return new Deliveries(new DeliveryListener(outbox), new DeliveryRoutes(jdbc, settings, outbox, calls), worker);
    }

    public static OutboxPolicy policy(CalltrackConfig.Outbox c) {
        return new OutboxPolicy(c.initialBackoff(), c.maxBackoff(), c.maxAttempts(), c.maxAge(), c.requestTimeout());
    }

    public CallListener listener() {
        return listener;
    }

    public RouteProvider routes() {
        return routes;
    }

    @Override
    public void close() throws InterruptedException {
        worker.close();
    }
}
