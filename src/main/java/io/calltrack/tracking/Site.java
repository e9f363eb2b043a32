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

    /**
     * How often to heartbeat a number held for {@code held}: a third of it, so two lost beats do not lose the
     * number, kept from {@code min} to {@code max} (tracking.heartbeat-min, tracking.heartbeat-max).
     */
    public static int heartbeatSeconds(Duration held, Duration min, Duration max) {
        return (int) Math.max(min.toSeconds(), Math.min(max.toSeconds(), held.toSeconds() / 3));
    }
}
