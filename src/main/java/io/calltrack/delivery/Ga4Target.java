package io.calltrack.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.calls.Call;
import io.calltrack.platform.jobs.Job;
import io.calltrack.platform.jobs.JobKind;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** A GA4 Measurement Protocol event for a completed call, by GA4's client id. Its target is the measurement id. */
final class Ga4Target implements DeliveryTarget {
    private final ObjectMapper json;

    Ga4Target(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public JobKind kind() {
        return JobKind.GA4;
    }

    @Override
    public Optional<String> target(DeliverySettings s) {
        return Optional.ofNullable(s.ga4Url()).map(url -> "ga4 " + s.ga4MeasurementId());
    }

    @Override
    public boolean sends(String event) {
        return WebhookEvents.COMPLETED.equals(event);
    }

    @Override
    public Optional<String> unmatchable(Call call) {
        return AnalyticsMatch.ga4(call).isPresent() ? Optional.empty() : Optional.of(AnalyticsMatch.GA4_UNMATCHABLE);
    }

    @Override
    public Optional<HttpRequest> request(Job job, Call call, DeliverySettings s, RequestStart base)
            throws JsonProcessingException {
        if (s.ga4Url() == null) return Optional.empty();
        String clientId = AnalyticsMatch.ga4(call).orElseThrow(() ->
                new IllegalArgumentException(AnalyticsMatch.GA4_UNMATCHABLE));
        String url = s.ga4Url() + (s.ga4Url().contains("?") ? "&" : "?")
                + "measurement_id=" + enc(s.ga4MeasurementId()) + "&api_secret=" + enc(s.ga4ApiSecret());
        return Optional.of(base.to(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(CallPayloads.ga4(call, clientId))))
                .build());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
