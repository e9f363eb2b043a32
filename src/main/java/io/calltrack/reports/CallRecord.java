package io.calltrack.reports;

import io.calltrack.tracking.AnalyticsIds;
import io.calltrack.tracking.Touch;
import io.calltrack.tracking.Touches;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;

/**
 * A call as exports and webhooks describe it: the call row with its site's time zone. {@code touches} is the
 * attribution snapshot's first and last touch (the call is credited to the last), {@code clientId} calltrack's
 * visitor cookie and {@code analyticsIds} the analytics tags' ids of the visitor.
 */
public record CallRecord(
        long id,
        String linkedid,
        long siteId,
        ZoneId siteZone,
        String calledNumber,
        String callerNumber,
        String attribution,
        Touches touches,
        String clientId,
        AnalyticsIds analyticsIds,
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

    /** The touch the call is credited to. */
    public Touch lastTouch() {
        return touches.last();
    }
}
