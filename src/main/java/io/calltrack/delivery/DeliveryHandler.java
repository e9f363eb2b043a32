package io.calltrack.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.calltrack.calls.Call;
import io.calltrack.calls.CallRepository;
import io.calltrack.platform.jobs.Job;
import io.calltrack.platform.jobs.JobHandler;
import io.calltrack.platform.jobs.JobKind;
import io.calltrack.platform.jobs.JobOutcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the delivery jobs of one {@link DeliveryTarget}: reads the call and the site's settings (each a short read
 * of its own, no connection kept), renders the request, sends it and classifies the answer.
 */
final class DeliveryHandler implements JobHandler {
    private final DeliveryTarget target;
    private final HttpClient client;
    private final CallRepository calls;
    private final DeliverySettingsStore settings;
    private final Duration timeout;

    DeliveryHandler(DeliveryTarget target, HttpClient client, CallRepository calls, DeliverySettingsStore settings,
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
        Optional<Call> call = job.callId() == null ? Optional.empty() : calls.find(job.callId())
                .filter(c -> c.siteId().isPresent());
        if (call.isEmpty()) return new JobOutcome.Failed("call " + job.callId() + " no longer exists");
        DeliverySettings s = settings.get(call.get().siteId().get());
        Optional<HttpRequest> request;
        try {
            request = target.request(job, call.get(), s, url -> HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout).header("User-Agent", "calltrack"));
        } catch (IllegalArgumentException e) {
            // the URL may carry a secret (GA4's api_secret, a token in a webhook's query): never quote it
            return new JobOutcome.Failed(kind().dbValue() + " receiver URL is not a valid URL: correct it in the "
                    + "site's delivery settings, then resend");
        } catch (JsonProcessingException e) {
            return new JobOutcome.Failed("cannot write the " + kind().dbValue() + " payload: " + e.getOriginalMessage());
        }
        if (request.isEmpty()) return new JobOutcome.Failed(kind().dbValue() + " delivery is no longer configured");
        // the request timeout ends the wait for the answer's headers; this deadline also bounds a body that trickles
        CompletableFuture<HttpResponse<String>> exchange =
                client.sendAsync(request.get(), HttpResponse.BodyHandlers.ofString());
        try {
            return classify(exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return timedOut();
        } catch (ExecutionException e) {
            return e.getCause() instanceof HttpTimeoutException ? timedOut()
                    : new JobOutcome.Retry("connection failed: " + e.getCause());
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return new JobOutcome.Retry("interrupted while sending");
        }
    }

    private static JobOutcome classify(HttpResponse<String> r) {
        int status = r.statusCode();
        if (status / 100 == 2) return new JobOutcome.Done();
        String error = "HTTP " + status + ": " + abbreviate(r.body());
        return status >= 500 || status == 429 || status == 408
                ? new JobOutcome.Retry(error) : new JobOutcome.Failed(error);
    }

    private JobOutcome timedOut() {
        return new JobOutcome.Retry("timed out after " + timeout.toMillis() + " ms");
    }

    private static String abbreviate(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "...";
    }
}
