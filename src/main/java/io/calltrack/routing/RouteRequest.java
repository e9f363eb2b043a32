package io.calltrack.routing;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * A ringing call as routing sees it: where it came from, who calls, when (judged in the site's zone), and the
 * {@code telephony} that will place it, which decides the destinations it can use.
 */
public record RouteRequest(long siteId, ZoneId siteZone, Optional<String> trackedNumber, Optional<String> channelName,
                           Optional<String> campaign, Optional<String> source, Optional<String> callerE164,
                           boolean repeatCaller, Optional<Long> lastManagerId, Instant at, Telephony telephony) {}
