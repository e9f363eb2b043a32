package io.calltrack.reports.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.calltrack.jobs.Job;
import io.calltrack.jobs.JobHandler;
import io.calltrack.jobs.JobKind;
import io.calltrack.jobs.JobOutcome;
import io.calltrack.reports.CallRecord;
import io.calltrack.reports.CallRecords;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * Runs the delivery jobs of one {@link DeliveryTarget}: reads the call and the site's settings (each a short read
 * of its own, no connection kept), renders the request, sends it and classifies the answer.
 */
final class DeliveryHandler implements JobHandler {
    private final DeliveryTarget target;
    private final HttpClient client;
    private final CallRecords calls;
    private final DeliverySettingsStore settings;
    private final Duration timeout;

    DeliveryHandler(DeliveryTarget target, HttpClient client, CallRecords calls, DeliverySettingsStore settings,
                    Duration timeout) {
        this.target = target;
        this.client = client;
        this.calls = calls;
        this.settings = settings;
        this.timeout = timeout;
    }

    @Override
    public JobKind kind() {
        return target.kind();
    }

    @Override
    public JobOutcome run(Job job) {
        Optional<CallRecord> call = job.callId() == null ? Optional.empty() : calls.find(job.callId());
        if (call.isEmpty()) return new JobOutcome.Failed("call " + job.callId() + " no longer exists");
        DeliverySettings s = settings.get(call.get().siteId());
        Optional<HttpRequest> request;
        try {
            request = target.request(job, call.get(), s, url -> HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout).header("User-Agent", "calltrack"));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return new JobOutcome.Failed("cannot build request: " + e.getMessage());
        }
        if (request.isEmpty()) return new JobOutcome.Failed(kind().dbValue() + " delivery is no longer configured");
        try {
            HttpResponse<String> r = client.send(request.get(), HttpResponse.BodyHandlers.ofString());
            int status = r.statusCode();
            if (status / 100 == 2) return new JobOutcome.Done();
            String error = "HTTP " + status + ": " + abbreviate(r.body());
            return status >= 500 || status == 429 || status == 408
                    ? new JobOutcome.Retry(error) : new JobOutcome.Failed(error);
        } catch (HttpTimeoutException e) {
            return new JobOutcome.Retry("timed out after " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return new JobOutcome.Retry("connection failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new JobOutcome.Retry("interrupted while sending");
        }
    }

    private static String abbreviate(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "...";
    }
}
