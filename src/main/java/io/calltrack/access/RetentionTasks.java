package io.calltrack.access;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every hour on every instance: audit entries older than {@code access.audit-retention} are deleted, and recordings
 * past their site's retention. A periodic task, not a job on the durable queue: both are set-based deletes any
 * instance may run at any time (running twice removes nothing twice), there is no item to hand to one worker, and a
 * missed run is made up by the next.
 */
public final class RetentionTasks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RetentionTasks.class);
    private static final Duration EVERY = Duration.ofHours(1);

    private final AuditLog audit;
    private final Duration auditRetention;
    private final RecordingRetention recordings;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "retention");
        t.setDaemon(true);
        return t;
    });

    private RetentionTasks(AuditLog audit, Duration auditRetention, RecordingRetention recordings, Clock clock) {
        this.audit = audit;
        this.auditRetention = auditRetention;
        this.recordings = recordings;
        this.clock = clock;
    }

    /** Starts the hourly run, the first a minute after the start (not in the way of the start itself). */
    public static RetentionTasks start(AuditLog audit, Duration auditRetention, RecordingRetention recordings,
                                       Clock clock) {
        RetentionTasks tasks = new RetentionTasks(audit, auditRetention, recordings, clock);
        tasks.timer.scheduleWithFixedDelay(tasks::runLogged, 1, EVERY.toMinutes(), TimeUnit.MINUTES);
        return tasks;
    }

    private void runLogged() {
        try {
            int purged = audit.purge(clock.instant().minus(auditRetention));
            if (purged > 0) log.info("deleted {} audit entries older than access.audit-retention", purged);
        } catch (RuntimeException e) {
            log.warn("old audit entries not deleted this hour (database problem?): {}", e.toString());
        }
        try {
            recordings.run();
        } catch (RuntimeException e) {
            log.warn("expired recordings not removed this hour (database problem?); the next run tries again: {}",
                    e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
