package io.calltrack.delivery;

import io.calltrack.delivery.api.DeliveryRoutes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.calls.CallListener;
import io.calltrack.access.CallerNumbers;
import io.calltrack.calls.CallRepository;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.platform.http.RouteProvider;
import io.calltrack.platform.jobs.JobHandler;
import io.calltrack.platform.jobs.JobRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Builds the outgoing-delivery parts: the targets (webhook, Metrica, GA4), their job handlers, the outbox that
 * enqueues their jobs, the listener and the routes. The job queue's workers run the handlers.
 */
public final class Deliveries {
    private final DeliveryListener listener;
    private final DeliveryRoutes routes;
    private final List<JobHandler> handlers;

    private Deliveries(DeliveryListener listener, DeliveryRoutes routes, List<JobHandler> handlers) {
        this.listener = listener;
        this.routes = routes;
        this.handlers = handlers;
    }

    public static Deliveries create(Jdbc jdbc, JobRepository jobs, CallRepository calls, CalltrackConfig.Outbox config,
                                    ObjectMapper json, MeterRegistry metrics, Clock clock, CallerNumbers callerNumbers) {
        DeliverySettingsStore settings = new DeliverySettingsStore(jdbc);
        List<DeliveryTarget> targets = targets(json);
        HttpClient client = HttpClient.newBuilder().connectTimeout(config.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        Outbox outbox = new Outbox(jobs, settings, calls, targets, metrics, clock);
        return new Deliveries(new DeliveryListener(outbox), new DeliveryRoutes(jdbc, settings, outbox, calls,
                        callerNumbers),
                handlers(targets, client, calls, settings, config.requestTimeout()));
    }

    static List<DeliveryTarget> targets(ObjectMapper json) {
        return List.of(new WebhookTarget(json), new MetricaTarget(), new Ga4Target(json));
    }

    static List<JobHandler> handlers(List<DeliveryTarget> targets, HttpClient client, CallRepository calls,
                                     DeliverySettingsStore settings, Duration requestTimeout) {
        return targets.stream().<JobHandler>map(t -> new DeliveryHandler(t, client, calls, settings, requestTimeout))
                .toList();
    }

    public CallListener listener() {
        return listener;
    }

    public RouteProvider routes() {
        return routes;
    }

    /** The job handlers that send the deliveries, one per target kind. */
    public List<JobHandler> handlers() {
        return handlers;
    }
}
