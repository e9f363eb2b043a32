package io.calltrack.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.calls.CallRepository;
import io.calltrack.calls.CallTags;
import io.calltrack.platform.jobs.JobHandler;
import io.calltrack.recordings.TranscriptRepository;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

/**
 * The outgoing-delivery targets (webhook, Metrica, GA4) and their job handlers, which App wires: the
 * {@link Outbox} enqueues the targets' jobs, the job queue's workers run the handlers.
 */
public final class Deliveries {
    private Deliveries() {}

    /**
     * Every delivery target; a new one (another analytics or CRM) is added here. The webhook reads a transcribed
     * call's transcript and tags when it sends {@code call.transcribed}.
     */
    public static List<DeliveryTarget> targets(ObjectMapper json, TranscriptRepository transcripts, CallTags tags) {
        return List.of(new WebhookTarget(json, transcripts, tags), new MetricaTarget(), new Ga4Target(json));
    }

    /** The client deliveries are sent with: it never follows a redirect, so a receiver cannot send one elsewhere. */
    public static HttpClient client(Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** One job handler per target kind, sending that target's deliveries. */
    public static List<JobHandler> handlers(List<DeliveryTarget> targets, HttpClient client, CallRepository calls,
                                            DeliverySettingsStore settings, Duration requestTimeout) {
        return targets.stream().<JobHandler>map(t -> new DeliveryHandler(t, client, calls, settings, requestTimeout))
                .toList();
    }
}
