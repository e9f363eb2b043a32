package io.calltrack.routing;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * A ringing call as routing sees it: where it came from, who calls, when (judged in the site's zone), and the
 * {@code telephony} that will place it, which decides the destinations it can use. The site's zone and
 * {@code closedHoursDestination} are the site's settings as the caller read them with the site (tracking owns the
 * site; routing reads no table of it).
 */
public record RouteRequest(long siteId, ZoneId siteZone, Optional<String> closedHoursDestination,
                           Optional<String> trackedNumber, Optional<String> channelName,
                           Optional<String> campaign, Optional<String> source, Optional<String> callerE164,
                           boolean repeatCaller, Optional<Long> lastManagerId, Instant at, Telephony telephony) {}
