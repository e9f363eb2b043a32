package io.calltrack.tracking.http;

import io.calltrack.support.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionStartLimiterTest {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));

    @Test
    void anIpGetsItsMinuteQuotaThenIsRefusedUntilTheNextMinute() {
        SessionStartLimiter limiter = new SessionStartLimiter(3, 1000, clock);
        for (int i = 0; i < 3; i++) assertEquals(Optional.empty(), limiter.refuse(1, "192.0.2.1"));
        assertTrue(limiter.refuse(1, "192.0.2.1").orElseThrow().contains("192.0.2.1"));
        assertEquals(Optional.empty(), limiter.refuse(1, "192.0.2.2"), "other visitors are not affected");
        clock.advance(Duration.ofMinutes(1));
        assertEquals(Optional.empty(), limiter.refuse(1, "192.0.2.1"));
    }

    @Test
    void aSiteGetsItsPerSecondQuotaAcrossAllIps() {
        SessionStartLimiter limiter = new SessionStartLimiter(1000, 2, clock);
        assertEquals(Optional.empty(), limiter.refuse(7, "192.0.2.1"));
        assertEquals(Optional.empty(), limiter.refuse(7, "192.0.2.2"));
        assertTrue(limiter.refuse(7, "192.0.2.3").orElseThrow().contains("on this site"));
        assertEquals(Optional.empty(), limiter.refuse(8, "192.0.2.4"), "another site has its own quota");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), limiter.refuse(7, "192.0.2.3"));
    }
}
