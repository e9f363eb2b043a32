package io.calltrack.tracking;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One visitor's visit: where they came from, which number they were shown, and when they were last seen.
 * {@code channelId}, {@code firstPage}, {@code utm} and {@code clickIds} are its first touch (how it started, which
 * also chose its number); {@code lastTouch} a later paid click of the same visitor within the hold time.
 */
public record VisitorSession(UUID id, long siteId, Optional<Long> channelId, String clientId,
                             Optional<String> firstPage, Optional<String> currentPage, Optional<String> referrer,
                             Utm utm, ClickIds clickIds, Optional<Touch> lastTouch, AnalyticsIds analyticsIds,
                             Optional<String> userAgent, Optional<String> trackId, Optional<Long> numberId,
                             boolean noNumber, boolean bot,
                             Instant startedAt, Instant lastSeenAt, Optional<Instant> endedAt) {

    /** The campaign parameters of the landing page; {@code term} is the search keyword. */
    public record Utm(Optional<String> source, Optional<String> medium, Optional<String> campaign,
                      Optional<String> term, Optional<String> content) {
        public static final Utm NONE = new Utm(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());

        public boolean isEmpty() {
            return source.isEmpty() && medium.isEmpty() && campaign.isEmpty();
        }
    }

    public Touches touches() {
        Touch first = new Touch(Optional.of(startedAt), channelId, Optional.empty(), utm, firstPage, clickIds);
        return new Touches(first, lastTouch.orElse(first));
    }
}
