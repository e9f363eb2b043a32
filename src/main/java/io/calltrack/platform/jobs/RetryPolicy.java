package io.calltrack.platform.jobs;

import java.time.Duration;
import java.time.Instant;

/**
 * When to try a failed job again and when to give up: exponential back-off from {@code initialBackoff},
 * doubled per attempt up to {@code maxBackoff}; dead after {@code maxAttempts} or once older than {@code maxAge}.
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, int maxAttempts, Duration maxAge) {

    /** The wait after the {@code attempts}-th failed attempt (1-based). */
    public Duration backoffAfter(int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 30);
        Duration d = initialBackoff.multipliedBy(1L << doublings);
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    /** Where {@code job} stands after a run (its {@code attempts} counting that run) that came to {@code outcome}. */
    public Settlement settle(Job job, JobOutcome outcome, Instant now) {
        if (outcome instanceof JobOutcome.Done) return new Settlement(JobState.DONE, now, null, now);
        if (outcome instanceof JobOutcome.Failed f) return new Settlement(JobState.DEAD, now, f.error(), null);
        String error = ((JobOutcome.Retry) outcome).error();
        Instant next = now.plus(backoffAfter(job.attempts()));
        boolean tooOld = next.isAfter(job.createdAt().plus(maxAge));
        JobState state = job.attempts() >= maxAttempts || tooOld ? JobState.DEAD : JobState.PENDING;
        return new Settlement(state, next, error, null);
    }
}
