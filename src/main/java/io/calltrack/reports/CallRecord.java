package io.calltrack.reports;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;

/** A call as exports and webhooks describe it: the call row with its site's time zone. */
public record CallRecord(
        long id,
        String linkedid,
        long siteId,
        ZoneId siteZone,
        String calledNumber,
        String callerNumber,
        String attribution,
        Long channelId,
        String channelName,
        String source,
        String medium,
        String campaign,
        String keyword,
        String landingPage,
        String clientId,
        boolean firstTimeCaller,
        boolean repeatCall,
        String recordingPath,
        String state,
        Instant startedAt,
        Instant answeredAt,
        Instant endedAt,
        Integer ringSeconds,
        Integer talkSeconds,
        String callClass,
        String classReason,
        BigDecimal dealAmount) {

    public boolean missed() {
        return answeredAt == null;
    }
}
