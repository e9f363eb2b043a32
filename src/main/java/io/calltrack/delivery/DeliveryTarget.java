package io.calltrack.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.calltrack.calls.Call;
import io.calltrack.platform.jobs.Job;
import io.calltrack.platform.jobs.JobKind;
import java.net.http.HttpRequest;
import java.util.Optional;

/** What one kind of delivery sends where: the only place that knows its settings, its events and its request. */
public interface DeliveryTarget {
    JobKind kind();

    /**
     * The target in the job queue's sense (what a slow receiver slows down: a receiver host, an analytics
     * account) when the settings switch this delivery on; empty when they do not.
     */
    Optional<String> target(DeliverySettings s);

    /** Whether {@code event} is delivered here. */
    boolean sends(String event);

    /** Why the call cannot be sent here (the target could not match it to a visit); empty when it can. */
    Optional<String> unmatchable(Call call);

    /**
     * The request delivering {@code job} for {@code call}, from {@code base} (URL-less: timeout, user agent);
     * empty when the settings no longer switch this delivery on.
     */
    Optional<HttpRequest> request(Job job, Call call, DeliverySettings s, RequestStart base)
            throws JsonProcessingException;

    /** Starts a request to a URL with what every delivery request carries. */
    @FunctionalInterface
    interface RequestStart {
        HttpRequest.Builder to(String url);
    }
}
