package io.calltrack.tracking;

import java.util.Optional;
import java.util.UUID;

/**
 * The visit a call is credited to, as the call keeps it (a snapshot: the session may be deleted later): the session,
 * its first and last touch (the call is credited to the last; a static number's channel is both), calltrack's
 * visitor cookie ({@code clientId}) and the analytics tags' ids of the visitor. {@link #NONE} for a call no visit
 * explains (ambiguous, unattributed, an unknown number).
 */
public record CreditedVisit(Optional<UUID> sessionId, Touches touches, Optional<String> clientId,
                            AnalyticsIds analyticsIds) {
    public static final CreditedVisit NONE =
            new CreditedVisit(Optional.empty(), Touches.NONE, Optional.empty(), AnalyticsIds.NONE);

    /** What a static number knows: its channel, no session and no visitor. */
    public static CreditedVisit ofChannel(Optional<Long> channelId, Optional<String> channelName) {
        return new CreditedVisit(Optional.empty(), Touches.single(Touch.ofChannel(channelId, channelName)),
                Optional.empty(), AnalyticsIds.NONE);
    }

    /** The touch the call is credited to. */
    public Touch lastTouch() {
        return touches.last();
    }
}
