package io.calltrack.tracking;

import java.util.Optional;

/** A phone number of one site: static (bound to a channel) or in the site's dynamic pool. */
public record TrackedNumber(long id, long siteId, String e164, Kind kind, Optional<Long> channelId,
                            boolean trackIdEntry) {

    public enum Kind { STATIC, POOL }
}
