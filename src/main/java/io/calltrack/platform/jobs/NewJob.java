package io.calltrack.platform.jobs;

/** A job to enqueue: pending (to run as soon as a worker is free), or skipped with the reason it will not run. */
public record NewJob(JobKind kind, String target, long siteId, long callId, String event, JobState state,
                     String reason) {

    public static NewJob pending(JobKind kind, String target, long siteId, long callId, String event) {
        return new NewJob(kind, target, siteId, callId, event, JobState.PENDING, null);
    }

    public static NewJob skipped(JobKind kind, String target, long siteId, long callId, String event, String reason) {
        return new NewJob(kind, target, siteId, callId, event, JobState.SKIPPED, reason);
    }
}
