package io.calltrack.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.calls.Call;
import io.calltrack.calls.CallTags;
import io.calltrack.platform.jobs.Job;
import io.calltrack.platform.jobs.JobKind;
import io.calltrack.recordings.TranscriptRepository;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Optional;

/**
 * The site's signed webhook, on every event ({@code call.transcribed} with the call's tags and transcript, read
 * when it is sent). {@code X-Calltrack-Delivery} is the job id, the same on every
 * attempt: a receiver drops a repeat by it. Its target is the receiver's origin (scheme, host, port).
 */
final class WebhookTarget implements DeliveryTarget {
    private final ObjectMapper json;
    private final TranscriptRepository transcripts;
    private final CallTags tags;

    WebhookTarget(ObjectMapper json, TranscriptRepository transcripts, CallTags tags) {
        this.json = json;
        this.transcripts = transcripts;
        this.tags = tags;
    }

    @Override
    public JobKind kind() {
        return JobKind.WEBHOOK;
    }

    @Override
    public Optional<String> target(DeliverySettings s) {
        return Optional.ofNullable(s.webhookUrl()).map(url -> "webhook " + origin(url));
    }

    private static String origin(String url) {
        try {
            URI u = URI.create(url);
            return u.getRawAuthority() == null ? url : u.getScheme() + "://" + u.getRawAuthority();
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    @Override
    public boolean sends(String event) {
        return true;
    }

    @Override
    public Optional<String> unmatchable(Call call) {
        return Optional.empty();
    }

    @Override
    public Optional<HttpRequest> request(Job job, Call call, DeliverySettings s, RequestStart base)
            throws JsonProcessingException {
        if (s.webhookUrl() == null) return Optional.empty();
        byte[] body = json.writeValueAsBytes(WebhookEvents.TRANSCRIBED.equals(job.event())
                ? CallPayloads.transcribed(call, s.callTrackerUrl(), tags.of(call.id()).all(),
                        transcripts.find(call.id()).orElse(null))
                : CallPayloads.webhook(job.event(), call, s.callTrackerUrl()));
        return Optional.of(base.to(s.webhookUrl())
                .header("Content-Type", "application/json")
                .header("X-Calltrack-Event", job.event())
                .header("X-Calltrack-Delivery", Long.toString(job.id()))
                .header(WebhookSignature.HEADER, WebhookSignature.sign(s.webhookSecret(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }
}
