package io.calltrack.tracking;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A tracked website: its public key (used by the snippet), time zone, thresholds and default number. */
public record Site(long id, String name, String publicKey, String timeZone, int targetThresholdSeconds,
                   int repeatWindowDays, int sessionHoldSeconds, String fallbackNumber, List<String> allowedOrigins,
                   boolean trackIdOnUnattributed, Optional<String> closedHoursDestination) {

    /** How long a number stays bound to a session after the visitor's last heartbeat. */
    public Duration hold() {
        return Duration.ofSeconds(sessionHoldSeconds);
    }

    /** How often the snippet heartbeats: well within the hold time, but not more often than every 10 s. */
    public int heartbeatSeconds() {
        return heartbeatSeconds(hold());
    }

    /** How often to heartbeat a number held for {@code held}: three tries within it, every 10 to 60 s. */
    public static int heartbeatSeconds(Duration held) {
        return (int) Math.max(10, Math.min(60, held.toSeconds() / 3));
    }
}
