package io.calltrack.reports.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.calls.Call;
import io.calltrack.calls.CallRepository;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Sends one outbox row over HTTP: renders the body for its kind from the call, then classifies the answer. */
public final class HttpSender implements Outbox.Sender {
    private final HttpClient client;
    private final CallRepository calls;
    private final DeliverySettingsStore settings;
    private final ObjectMapper json;
    private final Duration timeout;

    public HttpSender(HttpClient client, CallRepository calls, DeliverySettingsStore settings, ObjectMapper json,
                      Duration timeout) {
        this.client = client;
        this.calls = calls;
        this.settings = settings;
        this.json = json;
        this.timeout = timeout;
    }

    @Override
    public Outbox.Outcome send(OutboxEntry entry) {
        Optional<Call> call = entry.callId() == null ? Optional.empty() : calls.find(entry.callId())
                .filter(c -> c.siteId().isPresent());
        if (call.isEmpty()) return new Outbox.Outcome.Permanent("call " + entry.callId() + " no longer exists");
        DeliverySettings s = settings.get(call.get().siteId().get());
        Optional<HttpRequest> request;
        try {
            request = request(entry, call.get(), s);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return new Outbox.Outcome.Permanent("cannot build request: " + e.getMessage());
        }
        if (request.isEmpty()) return new Outbox.Outcome.Permanent(entry.kind() + " delivery is no longer configured");
        try {
            HttpResponse<String> r = client.send(request.get(), HttpResponse.BodyHandlers.ofString());
            int status = r.statusCode();
            if (status / 100 == 2) return new Outbox.Outcome.Delivered();
            String error = "HTTP " + status + ": " + abbreviate(r.body());
            return status >= 500 || status == 429 || status == 408
                    ? new Outbox.Outcome.Retry(error) : new Outbox.Outcome.Permanent(error);
        } catch (HttpTimeoutException e) {
            return new Outbox.Outcome.Retry("timed out after " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return new Outbox.Outcome.Retry("connection failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outbox.Outcome.Retry("interrupted while sending");
        }
    }

    private Optional<HttpRequest> request(OutboxEntry entry, Call call, DeliverySettings s)
            throws JsonProcessingException {
        switch (entry.kind()) {
            case "webhook" -> {
                if (s.webhookUrl() == null) return Optional.empty();
                byte[] body = json.writeValueAsBytes(CallPayloads.webhook(entry.event(), call, s.callTrackerUrl()));
                return Optional.of(base(s.webhookUrl())
                        .header("Content-Type", "application/json")
                        .header("X-Calltrack-Event", entry.event())
                        .header("X-Calltrack-Delivery", Long.toString(entry.id()))
                        .header(WebhookSignature.HEADER, WebhookSignature.sign(s.webhookSecret(), body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
            }
            case "ga4" -> {
                if (s.ga4Url() == null) return Optional.empty();
                String clientId = AnalyticsMatch.ga4(call).orElseThrow(() -> new IllegalArgumentException(
                        AnalyticsMatch.GA4_UNMATCHABLE));
                String url = s.ga4Url() + (s.ga4Url().contains("?") ? "&" : "?")
                        + "measurement_id=" + enc(s.ga4MeasurementId()) + "&api_secret=" + enc(s.ga4ApiSecret());
                return Optional.of(base(url).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(
                                json.writeValueAsBytes(CallPayloads.ga4(call, clientId))))
                        .build());
            }
            case "metrica" -> {
                if (s.metricaUrl() == null) return Optional.empty();
                AnalyticsMatch.MetricaKey key = AnalyticsMatch.metrica(call).orElseThrow(() ->
                        new IllegalArgumentException(AnalyticsMatch.METRICA_UNMATCHABLE));
                String boundary = "calltrack-" + UUID.randomUUID();
                String part = "--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"file\"; filename=\"calls.csv\"\r\n"
                        + "Content-Type: text/csv\r\n\r\n"
                        + MetricaCalls.csv(List.of(call), key.type(), s.callTrackerUrl())
                        + "\r\n--" + boundary + "--\r\n";
                HttpRequest.Builder b = base(MetricaCalls.uploadUrl(s.metricaUrl(), key.type()))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary);
                if (s.metricaToken() != null) b.header("Authorization", "OAuth " + s.metricaToken());
                return Optional.of(b.POST(HttpRequest.BodyPublishers.ofString(part, StandardCharsets.UTF_8)).build());
            }
            default -> throw new IllegalArgumentException("unknown delivery kind " + entry.kind());
        }
    }

    private HttpRequest.Builder base(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("User-Agent", "calltrack");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "...";
    }
}
