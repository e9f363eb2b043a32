package io.calltrack.delivery;

import io.calltrack.calls.Call;
import io.calltrack.platform.jobs.Job;
import io.calltrack.platform.jobs.JobKind;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Yandex Metrica's calls upload of a completed call, by the id {@link AnalyticsMatch#metrica} picks. Its target is
 * the counter (the upload URL without its parameters).
 */
final class MetricaTarget implements DeliveryTarget {
    @Override
    public JobKind kind() {
        return JobKind.METRICA;
    }

    @Override
    public Optional<String> target(DeliverySettings s) {
        return Optional.ofNullable(s.metricaUrl()).map(url -> "metrica " + url.split("\\?", 2)[0]);
    }

    @Override
    public boolean sends(String event) {
        return WebhookEvents.COMPLETED.equals(event);
    }

    @Override
    public Optional<String> unmatchable(Call call) {
        return AnalyticsMatch.metrica(call).isPresent() ? Optional.empty()
                : Optional.of(AnalyticsMatch.METRICA_UNMATCHABLE);
    }

    @Override
    public Optional<HttpRequest> request(Job job, Call call, DeliverySettings s, RequestStart base) {
        if (s.metricaUrl() == null) return Optional.empty();
        AnalyticsMatch.MetricaKey key = AnalyticsMatch.metrica(call).orElseThrow(() ->
                new IllegalArgumentException(AnalyticsMatch.METRICA_UNMATCHABLE));
        String boundary = "calltrack-" + UUID.randomUUID();
        String part = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"calls.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n"
                + MetricaCalls.csv(List.of(call), key.type(), s.callTrackerUrl())
                + "\r\n--" + boundary + "--\r\n";
        HttpRequest.Builder b = base.to(MetricaCalls.uploadUrl(s.metricaUrl(), key.type()))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary);
        if (s.metricaToken() != null) b.header("Authorization", "OAuth " + s.metricaToken());
        return Optional.of(b.POST(HttpRequest.BodyPublishers.ofString(part, StandardCharsets.UTF_8)).build());
    }
}
