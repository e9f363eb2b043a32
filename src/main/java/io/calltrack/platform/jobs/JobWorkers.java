package io.calltrack.platform.jobs;

import io.calltrack.config.CalltrackConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue's threads: one dispatcher claims a due job whenever one of {@code outbox.workers} worker threads is
 * free and hands it over; the worker runs it with no connection held. A slow target ties up at most
 * {@code outbox.per-target-concurrency} workers, the rest go on with other targets. Leases of running jobs are
 * renewed every third of {@code outbox.lease}; done and skipped jobs are forgotten after
 * {@code outbox.keep-delivered}.
 */
public final class JobWorkers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);

    private final JobRunner runner;
    private final JobRepository jobs;
    private final Duration poll;
    private final Duration keepDone;
    private final Clock clock;
    private final Semaphore free;
    /** Released when a job ends: its worker and its target's slot are free, so the dispatcher looks again. */
    private final Semaphore wake = new Semaphore(0);
    private final ExecutorService workers;
    private final ScheduledExecutorService housekeeping;
    private final Thread dispatcher;
    private volatile boolean stopping;

    private JobWorkers(JobRunner runner, JobRepository jobs, int workers, Duration poll, Duration keepDone,
                       Clock clock) {
        this.runner = runner;
        this.jobs = jobs;
        this.poll = poll;
        this.keepDone = keepDone;
        this.clock = clock;
        this.free = new Semaphore(workers);
        this.workers = Executors.newFixedThreadPool(workers, daemons("job-worker-"));
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(daemons("job-housekeeping-"));
        this.dispatcher = daemons("job-dispatcher-").newThread(this::dispatch);
    }

    /** The retry policy {@code config} describes. */
    public static RetryPolicy retryPolicy(CalltrackConfig.Outbox config) {
        return new RetryPolicy(config.initialBackoff(), config.maxBackoff(), config.maxAttempts(), config.maxAge());
    }

    /** Starts running the jobs of the {@code handlers}' kinds. */
    public static JobWorkers start(JobRepository jobs, List<JobHandler> handlers, CalltrackConfig.Outbox config,
                                   MeterRegistry metrics, Clock clock) {
        JobRunner runner = new JobRunner(jobs, handlers, retryPolicy(config), config.perTargetConcurrency(),
                config.lease(), "calltrack-" + UUID.randomUUID(), metrics, clock);
        JobWorkers w = new JobWorkers(runner, jobs, config.workers(), config.pollInterval(), config.keepDelivered(),
                clock);
        long renewEvery = Math.max(config.lease().toMillis() / 3, 1);
        w.housekeeping.scheduleWithFixedDelay(w::renewLogged, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        w.housekeeping.scheduleWithFixedDelay(w::purgeLogged, 1, 60, TimeUnit.MINUTES);
        w.dispatcher.start();
        return w;
    }

    private void dispatch() {
        while (!stopping) {
            try {
                free.acquire();
                Optional<Job> job = claimLogged();
                if (job.isEmpty()) {
                    free.release();
                    wake.tryAcquire(poll.toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                    continue;
                }
                workers.execute(() -> {
                    try {
                        runner.run(job.get());
                    } finally {
                        free.release();
                        wake.release();
                    }
                });
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Optional<Job> claimLogged() {
        try {
            return runner.claim();
        } catch (RuntimeException e) {
            log.warn("jobs (webhooks, analytics uploads) paused until the next poll: {}", e.toString());
            return Optional.empty();
        }
    }

    private void renewLogged() {
        try {
            runner.renewLeases();
        } catch (RuntimeException e) {
            log.warn("could not renew the leases of running jobs (database problem?); if this lasts beyond "
                    + "outbox.lease, they are run again elsewhere: {}", e.toString());
        }
    }

    private void purgeLogged() {
        try {
            int n = jobs.purge(clock.instant().minus(keepDone));
            if (n > 0) log.info("forgot {} finished jobs older than {}", n, keepDone);
        } catch (RuntimeException e) {
            log.warn("job purge skipped until the next hour: {}", e.toString());
        }
    }

    /**
     * Stops claiming, gives running jobs a moment, then interrupts them (a delivery interrupted mid-request is
     * retried later with the same id).
     */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        dispatcher.interrupt();
        dispatcher.join(5_000);
        workers.shutdown();
        if (!workers.awaitTermination(2, TimeUnit.SECONDS)) {
            workers.shutdownNow();
            workers.awaitTermination(5, TimeUnit.SECONDS);
        }
        housekeeping.shutdownNow();
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
