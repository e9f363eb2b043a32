package io.calltrack.calls;

import io.calltrack.tracking.AnalyticsIds;
import io.calltrack.tracking.Touches;
import java.time.Instant;
import java.util.UUID;

/**
 * A call as its first writer (FastAGI at ring time, or the SIP redirect) knows it. {@code attribution} is one of
 * static, dynamic, track_id, ambiguous, unattributed, unknown_number; {@code origin} is agi or sip. {@code touches}:
 * the session's first and last touch (the call is credited to the last); {@code clientId} calltrack's visitor cookie,
 * {@code analyticsIds} the analytics tags' ids of the visitor.
 * Nullable: siteId, numberId, callerNumber, sessionId, clientId.
 */
public record NewCall(
        String linkedid,
        Long siteId,
        Long numberId,
        String calledNumber,
        String callerNumber,
        String attribution,
        UUID sessionId,
        Touches touches,
        String clientId,
        AnalyticsIds analyticsIds,
        String origin,
        Instant startedAt) {}
