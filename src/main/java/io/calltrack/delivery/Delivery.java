package io.calltrack.delivery;

import io.calltrack.platform.jobs.Job;
import io.calltrack.platform.jobs.JobKind;
import java.time.Instant;

/**
 * One delivery of a call to a target (webhook, metrica, ga4) and how it stands, in the delivery API's words:
 * {@code status} is {@code pending} (being sent included), {@code delivered}, {@code dead} or {@code not_matchable}
 * (see {@link Outbox#shownState}). {@code receiver} is what it is sent to (a host, an analytics account);
 * {@code nextAttemptAt} is when a pending one is tried next.
 */
public record Delivery(
        long id,
        JobKind target,
        String receiver,
        Long callId,
        String event,
        String status,
        int attempts,
        Instant createdAt,
        Instant nextAttemptAt,
        Instant doneAt,
        String lastError) {

    static Delivery of(Job j) {
        return new Delivery(j.id(), j.kind(), j.target(), j.callId(), j.event(), Outbox.shownState(j.state()),
                j.attempts(), j.createdAt(), j.nextAttemptAt(), j.doneAt(), j.lastError());
    }
}
