package io.calltrack.platform.jobs;

import java.time.Instant;

/**
 * One job and where it stands. Every job so far is about a call ({@code callId}, whose deletion deletes its jobs;
 * {@code event} says what happened to it, for deliveries). {@code target} is what the job talks to (a receiver's
 * host, an analytics account, a local engine): at most {@code outbox.per-target-concurrency} jobs of one target run
 * at once. {@code id} stays the same over every attempt, so a receiver can drop a repeat by it.
 * {@code nextAttemptAt} is when a pending job is due, and while it runs, when its lease runs out.
 */
public record Job(
        long id,
        JobKind kind,
        String target,
        Long siteId,
        Long callId,
        String event,
        JobState state,
        int attempts,
        Instant createdAt,
        Instant nextAttemptAt,
        Instant doneAt,
        String lastError) {}
