package io.calltrack.tracking;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a call came from, as known when it rings. {@code kind.dbValue()} is what {@code call.attribution} stores.
 * {@code trackIdEntry}: the called number asks every caller for a Track ID; {@code askTrackIdWhenUnattributed}:
 * the site wants one asked when a dynamic call cannot be attributed.
 */
public record Attribution(Kind kind, Optional<Long> siteId, Optional<Long> numberId, String calledE164,
                          Optional<Long> channelId, Optional<String> channelName, Optional<UUID> sessionId,
                          Optional<String> source, Optional<String> medium, Optional<String> campaign,
                          Optional<String> keyword, Optional<String> landingPage, Optional<String> clientId,
                          boolean trackIdEntry, boolean askTrackIdWhenUnattributed) {

    public enum Kind {
        STATIC, DYNAMIC, TRACK_ID, AMBIGUOUS, UNATTRIBUTED, UNKNOWN_NUMBER;

        /** The value of the CHECK constraint on {@code call.attribution}. */
        public String dbValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
