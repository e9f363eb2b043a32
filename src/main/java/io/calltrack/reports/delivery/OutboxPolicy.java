package io.calltrack.reports.delivery;

import java.time.Duration;

/**
 * When to try a failed delivery again and when to give up: exponential back-off from {@code initialBackoff},
 * doubled per attempt up to {@code maxBackoff}; dead after {@code maxAttempts} or once older than {@code maxAge}.
 */
public record OutboxPolicy(Duration initialBackoff, Duration maxBackoff, int maxAttempts, Duration maxAge,
                           Duration requestTimeout) {

    /** The wait after the {@code attempts}-th failed attempt (1-based). */
    public Duration backoffAfter(int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 30);
        Duration d = initialBackoff.multipliedBy(1L << doublings);
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
