package io.calltrack.tracking.api;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps session starts per client IP per minute and per site per second (config
 * {@code tracking.session-starts-per-ip-per-minute}, {@code tracking.session-starts-per-site-per-second}), so a
 * scraper cannot drain a number pool, and heartbeats per session per minute
 * ({@code tracking.heartbeats-per-session-per-minute}), so a script cannot hold one by hammering it. Fixed windows,
 * in memory: each server process counts its own requests.
 */
public final class VisitorLimits {
    private static final int MAX_TRACKED_KEYS = 100_000;

    private final int perIpPerMinute;
    private final int perSitePerSecond;
    private final int heartbeatsPerMinute;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private record Window(long start, int count) {}

    public VisitorLimits(int perIpPerMinute, int perSitePerSecond, int heartbeatsPerMinute, Clock clock) {
        this.perIpPerMinute = perIpPerMinute;
        this.perSitePerSecond = perSitePerSecond;
        this.heartbeatsPerMinute = heartbeatsPerMinute;
        this.clock = clock;
    }

    /** Counts one start; the reason it is refused, if a limit is exceeded. */
    public Optional<String> refuse(long siteId, String ip) {
        long nowMs = clock.millis();
        if (windows.size() > MAX_TRACKED_KEYS) windows.values().removeIf(w -> w.start < nowMs - 60_000);
        if (count("ip:" + ip, nowMs / 60_000) > perIpPerMinute) {
            return Optional.of("too many session starts from " + ip + " (limit " + perIpPerMinute + " per minute)");
        }
        if (count("site:" + siteId, nowMs / 1_000) > perSitePerSecond) {
            return Optional.of("too many session starts on this site (limit " + perSitePerSecond + " per second)");
        }
        return Optional.empty();
    }

    /** Counts one heartbeat of the session; the reason it is refused when the session sends too many. */
    public Optional<String> refuseHeartbeat(String sessionId) {
        long nowMs = clock.millis();
        if (windows.size() > MAX_TRACKED_KEYS) windows.values().removeIf(w -> w.start < nowMs - 60_000);
        if (count("hb:" + sessionId, nowMs / 60_000) > heartbeatsPerMinute) {
            return Optional.of("too many heartbeats for session " + sessionId + " (limit " + heartbeatsPerMinute
                    + " per minute)");
        }
        return Optional.empty();
    }

    private int count(String key, long window) {
        return windows.compute(key, (k, w) -> w == null || w.start != window ? new Window(window, 1)
                : new Window(window, w.count + 1)).count;
    }
}
