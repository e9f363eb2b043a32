package io.calltrack.tracking;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a call came from, as known when it rings. {@code kind.dbValue()} is what {@code call.attribution} stores.
 * {@code touches}: the session's first and last touch (a static number's channel is both); the call is credited to
 * the last, which the channel, source, campaign... accessors read. {@code clientId} is calltrack's own visitor cookie,
 * {@code analyticsIds} the analytics tags' ids of the visitor. {@code trackIdEntry}: the called number asks every
 * caller for a Track ID; {@code askTrackIdWhenUnattributed}: the site wants one asked when a dynamic call cannot be
 * attributed.
 */
public record Attribution(Kind kind, Optional<Long> siteId, Optional<Long> numberId, String calledE164,
                          Optional<UUID> sessionId, Touches touches, Optional<String> clientId,
                          AnalyticsIds analyticsIds, boolean trackIdEntry, boolean askTrackIdWhenUnattributed) {

    public enum Kind {
        STATIC, DYNAMIC, TRACK_ID, AMBIGUOUS, UNATTRIBUTED, UNKNOWN_NUMBER;

        /** The value of the CHECK constraint on {@code call.attribution}. */
        public String dbValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** No session, no channel: ambiguous, unattributed and unknown numbers. */
    static Attribution withoutVisit(Kind kind, Optional<Long> siteId, Optional<Long> numberId, String calledE164,
                                    boolean trackIdEntry, boolean ask) {
        return new Attribution(kind, siteId, numberId, calledE164, Optional.empty(), Touches.NONE, Optional.empty(),
                AnalyticsIds.NONE, trackIdEntry, ask);
    }

    /** This session's attribution on the number the caller actually dialled (a Track ID names only the session). */
    public Attribution onNumberOf(Attribution dialled) {
        return new Attribution(kind, siteId, dialled.numberId, dialled.calledE164, sessionId, touches, clientId,
                analyticsIds, dialled.trackIdEntry, dialled.askTrackIdWhenUnattributed);
    }

    public Optional<Long> channelId() {
        return touches.last().channelId();
    }

    public Optional<String> channelName() {
        return touches.last().channelName();
    }

    public Optional<String> source() {
        return touches.last().source();
    }

    public Optional<String> medium() {
        return touches.last().medium();
    }

    public Optional<String> campaign() {
        return touches.last().campaign();
    }

    public Optional<String> keyword() {
        return touches.last().keyword();
    }

    public Optional<String> landingPage() {
        return touches.last().landingPage();
    }
}
