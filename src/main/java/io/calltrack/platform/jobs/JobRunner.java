package io.calltrack.platform.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job at a time, on the caller's thread: claim (committed), run the kind's handler with no connection held,
 * settle by the retry policy. {@link JobWorkers} calls it from its threads; tests call it directly.
 */
public final class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private static final String RUNNING = "calltrack.jobs.running";

    private final JobRepository jobs;
    private final Map<JobKind, JobHandler> handlers = new EnumMap<>(JobKind.class);
    private final RetryPolicy retry;
    private final int perTarget;
    private final Duration lease;
    private final String worker;
    private final Clock clock;
    private final MeterRegistry metrics;
    /** The jobs this runner has claimed and not settled, by id: their leases are renewed while they run. */
    private final Map<Long, Job> running = new ConcurrentHashMap<>();

    /**
     * {@code worker} names this runner in {@code job.claimed_by}: unique per process, so a claim it lost to an
     * expired lease is never settled or renewed by it.
     */
    public JobRunner(JobRepository jobs, List<JobHandler> handlers, RetryPolicy retry, int perTarget, Duration lease,
                     String worker, MeterRegistry metrics, Clock clock) {
        this.jobs = jobs;
        handlers.forEach(h -> {
            if (this.handlers.put(h.kind(), h) != null) throw new IllegalArgumentException("two handlers for " + h.kind());
        });
        this.retry = retry;
        this.perTarget = perTarget;
        this.lease = lease;
        this.worker = worker;
        this.metrics = metrics;
        this.clock = clock;
        this.handlers.keySet().forEach(this::registerRunningGauge);
    }

    /**
     * {@code calltrack.jobs.running{kind}}: one gauge per kind, from the one runner that handles it. Micrometer
     * answers a second registration of a name and tags with the first gauge, so a second runner of a kind would
     * report nothing: refused instead.
     */
    private void registerRunningGauge(JobKind kind) {
        String tag = kind.dbValue();
        if (metrics.find(RUNNING).tag("kind", tag).gauge() != null) {
            throw new IllegalStateException("two job runners for " + tag + " jobs in one meter registry");
        }
        Gauge.builder(RUNNING, running, r -> r.values().stream().filter(j -> j.kind() == kind).count())
                .tag("kind", tag).description("jobs of this kind this instance is running now").register(metrics);
    }

    /** Claims one due job and commits the claim; empty when none can be claimed now. */
    public Optional<Job> claim() {
        if (handlers.isEmpty()) return Optional.empty();
        Optional<Job> job = jobs.claim(worker, handlers.keySet(), perTarget, clock.instant(), lease);
        job.ifPresent(j -> running.put(j.id(), j));
        return job;
    }

    /** Runs a job {@link #claim} returned and records how it ended. */
    public JobOutcome run(Job job) {
        try {
            JobOutcome outcome = outcomeOf(job);
            settle(job, outcome);
            return outcome;
        } finally {
            running.remove(job.id(), job); // not a later claim of the same job, should this one have lost its lease
        }
    }

    /** Claims, runs and settles one due job; empty when none was due. */
    public Optional<JobOutcome> runNext() {
        return claim().map(this::run);
    }

    /** Runs every job due now, one after another; returns how many runs were made. */
    public int runDue() {
        int runs = 0;
        while (runNext().isPresent()) runs++;
        return runs;
    }

    /** Extends the leases of the jobs running here, so a long job is not claimed again while it runs. */
    public void renewLeases() {
        Set<Long> ids = Set.copyOf(running.keySet());
        if (!ids.isEmpty()) jobs.renew(worker, ids, clock.instant().plus(lease));
    }

    private JobOutcome outcomeOf(Job job) {
        try {
            return handlers.get(job.kind()).run(job);
        } catch (RuntimeException e) {
            log.warn("{} job {} failed unexpectedly (attempt {}); it will be retried: {}", job.kind().dbValue(),
                    job.id(), job.attempts(), e.toString(), e);
            return new JobOutcome.Retry(e.toString());
        }
    }

    private void settle(Job job, JobOutcome outcome) {
        Settlement s = retry.settle(job, outcome, clock.instant());
        String kind = job.kind().dbValue();
        if (!jobs.settle(job, worker, s)) {
            count(kind, "lost");
            log.warn("{} job {} ran past its lease ({}) and was claimed again; this run's outcome ({}) is not "
                    + "recorded: raise outbox.lease if runs take that long", kind, job.id(), lease, outcome);
            return;
        }
        count(kind, outcome instanceof JobOutcome.Done ? "done" : outcome instanceof JobOutcome.Retry ? "retry" : "failed");
        if (s.state() == JobState.DEAD) {
            log.warn("{} {} for call {} (site {}) gave up after {} attempt(s): {}; re-send with POST /v1/outbox/{}/resend",
                    kind, job.event(), job.callId(), job.siteId(), job.attempts(), s.error(), job.id());
        } else if (s.error() != null) {
            log.info("{} {} for call {} failed (attempt {}): {}; next try at {}", kind, job.event(), job.callId(),
                    job.attempts(), s.error(), s.nextAttemptAt());
        }
    }

    private void count(String kind, String outcome) {
        Counter.builder("calltrack.jobs.runs").description("job runs by kind and outcome (done, retry, failed, lost)")
                .tag("kind", kind).tag("outcome", outcome).register(metrics).increment();
    }
}
