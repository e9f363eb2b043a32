package io.calltrack.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.calltrack.config.CalltrackConfig;
import io.calltrack.config.ConfigException;
import io.calltrack.config.ConfigSource;
import io.calltrack.platform.jobs.JobWorkers;
import io.calltrack.platform.jobs.RetryPolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboxConfigTest {
    @Test
    void defaultsRetryForTwoDaysWithCappedDoublingBackoff() {
        RetryPolicy p = JobWorkers.retryPolicy(CalltrackConfig.from(ConfigSource.of(Map.of())).outbox());
        assertEquals(Duration.ofSeconds(10), p.backoffAfter(1));
        assertEquals(Duration.ofSeconds(20), p.backoffAfter(2));
        assertEquals(Duration.ofSeconds(320), p.backoffAfter(6));
        assertEquals(Duration.ofMinutes(10), p.backoffAfter(7));
        assertEquals(Duration.ofMinutes(10), p.backoffAfter(29));
        assertEquals(Duration.ofHours(48), p.maxAge());
    }

    @Test
    void eightWorkersTwoPerTargetAMinuteLeaseAndAMonthOfDeliveredJobsByDefault() {
        CalltrackConfig.Outbox c = CalltrackConfig.from(ConfigSource.of(Map.of())).outbox();
        assertEquals(8, c.workers());
        assertEquals(2, c.perTargetConcurrency());
        assertEquals(Duration.ofMinutes(1), c.lease());
        assertEquals(Duration.ofDays(30), c.keepDelivered());
        ConfigException e = assertThrows(ConfigException.class, () -> CalltrackConfig.from(ConfigSource.of(
                Map.of("outbox.lease", "1s"))));
        assertEquals(true, e.getMessage().contains("outbox.lease"), e.getMessage());
    }

    @Test
    void aMaxBackoffBelowTheInitialOneIsRefusedByName() {
        ConfigException e = assertThrows(ConfigException.class, () -> CalltrackConfig.from(ConfigSource.of(
                Map.of("outbox.initial-backoff", "1m", "outbox.max-backoff", "30s"))));
        assertEquals(true, e.getMessage().contains("outbox.max-backoff"), e.getMessage());
    }
}
