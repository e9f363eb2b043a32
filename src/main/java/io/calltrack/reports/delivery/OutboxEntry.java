package io.calltrack.reports.delivery;

import java.time.Instant;

/** One outgoing delivery and where it stands. */
public record OutboxEntry(
        long id,
        Long siteId,
        Long callId,
        String kind,
        String event,
        String state,
        int attempts,
        Instant createdAt,
        Instant nextAttemptAt,
        Instant deliveredAt,
        String lastError) {}
