package io.calltrack.tracking.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VisitorLimitsTest {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));

    @Test
    void anIpGetsItsMinuteQuotaThenIsRefusedUntilTheNextMinute() {
        VisitorLimits limiter = new VisitorLimits(3, 1000, 12, clock);
        for (int i = 0; i < 3; i++) assertEquals(Optional.empty(), limiter.refuse(1, "192.0.2.1"));
        assertTrue(limiter.refuse(1, "192.0.2.1").orElseThrow().contains("192.0.2.1"));
        assertEquals(Optional.empty(), limiter.refuse(1, "192.0.2.2"), "other visitors are not affected");
        clock.advance(Duration.ofMinutes(1));
        assertEquals(Optional.empty(), limiter.refuse(1, "192.0.2.1"));
    }

    @Test
    void aSiteGetsItsPerSecondQuotaAcrossAllIps() {
        VisitorLimits limiter = new VisitorLimits(1000, 2, 12, clock);
        assertEquals(Optional.empty(), limiter.refuse(7, "192.0.2.1"));
        assertEquals(Optional.empty(), limiter.refuse(7, "192.0.2.2"));
        assertTrue(limiter.refuse(7, "192.0.2.3").orElseThrow().contains("on this site"));
        assertEquals(Optional.empty(), limiter.refuse(8, "192.0.2.4"), "another site has its own quota");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), limiter.refuse(7, "192.0.2.3"));
    }

    /** A script hammering heartbeats to hold its number is refused past the per-session rate. */
    @Test
    void heartbeatsArePacedPerSession() {
        VisitorLimits limits = new VisitorLimits(60, 1000, 3, clock);
        for (int i = 0; i < 3; i++) assertEquals(Optional.empty(), limits.refuseHeartbeat("s1"));
        assertTrue(limits.refuseHeartbeat("s1").orElseThrow().contains("too many heartbeats for session s1"));
        assertEquals(Optional.empty(), limits.refuseHeartbeat("s2"), "another session is not held back");
        clock.advance(Duration.ofMinutes(1));
        assertEquals(Optional.empty(), limits.refuseHeartbeat("s1"), "a new minute, a new allowance");
    }
}
