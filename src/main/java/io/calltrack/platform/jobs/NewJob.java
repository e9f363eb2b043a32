package io.calltrack.platform.jobs;

import java.time.Duration;

/**
 * A job to enqueue: pending (to run as soon as a worker is free, or {@code delay} after it is enqueued), or skipped
 * with the reason it will not run.
 */
public record NewJob(JobKind kind, String target, long siteId, long callId, String event, JobState state,
                     String reason, Duration delay) {

    public static NewJob pending(JobKind kind, String target, long siteId, long callId, String event) {
        return new NewJob(kind, target, siteId, callId, event, JobState.PENDING, null, Duration.ZERO);
    }

    public static NewJob skipped(JobKind kind, String target, long siteId, long callId, String event, String reason) {
        return new NewJob(kind, target, siteId, callId, event, JobState.SKIPPED, reason, Duration.ZERO);
    }

    /** The same job, due {@code delay} after it is enqueued. */
    public NewJob after(Duration delay) {
        return new NewJob(kind, target, siteId, callId, event, state, reason, delay);
    }
}
