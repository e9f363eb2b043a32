package io.calltrack.calls;

import java.time.Instant;
import java.util.UUID;

/**
 * A call as its first writer (FastAGI at ring time, or the SIP redirect) knows it. {@code attribution} is one of
 * static, dynamic, track_id, ambiguous, unattributed, unknown_number; {@code origin} is agi or sip.
 * Nullable: siteId, numberId, callerNumber, sessionId, channelId and every attribution text.
 */
public record NewCall(
        String linkedid,
        Long siteId,
        Long numberId,
        String calledNumber,
        String callerNumber,
        String attribution,
        UUID sessionId,
        Long channelId,
        String channelName,
        String source,
        String medium,
        String campaign,
        String keyword,
        String landingPage,
        String clientId,
        String origin,
        Instant startedAt) {}
