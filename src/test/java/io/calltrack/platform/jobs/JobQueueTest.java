package io.calltrack.platform.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.calltrack.config.CalltrackConfig;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.reports.ReportFixture;
import io.calltrack.support.MutableClock;
import io.calltrack.support.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The job queue on its own: claims per target, workers that hold no connection, leases that long jobs keep. */
class JobQueueTest {
    static final Duration LEASE = Duration.ofMinutes(1);

    TestDatabase db;
    JobRepository jobs;
    MutableClock clock = new MutableClock(Instant.parse("2026-03-08T12:00:00Z"));
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    long site;
    long call;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create();
        jobs = new JobRepository(new Jdbc(db.dataSource()));
        ReportFixture fx = new ReportFixture(db.dataSource());
        site = fx.site("UTC");
        call = fx.call(site).at("2026-03-08T11:58:00Z").answered(3, 40, "target").insert();
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private void enqueue(String... targets) {
        for (String t : targets) {
            jobs.enqueue(List.of(NewJob.pending(JobKind.WEBHOOK, t, site, call, "call.completed")), clock.instant());
            clock.advance(Duration.ofSeconds(1));
        }
    }

    private Optional<Job> claim() {
        return jobs.claim("worker", List.of(JobKind.WEBHOOK), 2, clock.instant(), LEASE);
    }

    @Test
    void aTargetRunsAtMostItsLimitAtOnceWhileOtherTargetsGoOn() {
        enqueue("slow", "slow", "slow", "fast");
        Job first = claim().orElseThrow();
        assertEquals("slow", first.target());
        assertEquals("slow", claim().orElseThrow().target());
        assertEquals("fast", claim().orElseThrow().target(), "the slow target's third job waits, the next goes on");
        assertEquals(Optional.empty(), claim());

        assertTrue(jobs.settle(first, "worker", new Settlement(JobState.DONE, clock.instant(), null, clock.instant())));
        assertEquals("slow", claim().orElseThrow().target(), "a finished job frees its target's slot");
    }

    @Test
    void onlyKindsWithAHandlerAreClaimed() {
        enqueue("a");
        assertEquals(Optional.empty(), jobs.claim("worker", List.of(JobKind.GA4), 2, clock.instant(), LEASE));
    }

    @Test
    void workersHoldNoConnectionWhileJobsRun() throws Exception {
        enqueue("a", "b", "c", "d");
        CountDownLatch running = new CountDownLatch(4);
        CountDownLatch release = new CountDownLatch(1);
        try (HikariDataSource pool = TestDatabase.dataSource(db.url(), 2)) {
            JobRepository queue = new JobRepository(new Jdbc(pool));
            JobHandler waits = handler(job -> {
                running.countDown();
                hold(release);
                return new JobOutcome.Done();
            });
            try (JobWorkers ignored = JobWorkers.start(queue, List.of(waits), config(4, LEASE), metrics,
                    Clock.systemUTC())) {
                assertTrue(running.await(10, TimeUnit.SECONDS), "four workers run four jobs at once");
                assertEquals(0, pool.getHikariPoolMXBean().getActiveConnections(),
                        "no connection is held while the jobs run");
                assertEquals(4, queue.counts(site).get(JobKind.WEBHOOK).get(JobState.RUNNING),
                        "the pool of two still answers");
                release.countDown();
                await().atMost(10, TimeUnit.SECONDS).until(() ->
                        queue.counts(site).get(JobKind.WEBHOOK).getOrDefault(JobState.DONE, 0L) == 4);
            }
        }
    }

    @Test
    void aJobLongerThanItsLeaseKeepsItWhileItRunsAndRunsOnce() throws Exception {
        Duration lease = Duration.ofMillis(300);
        jobs.enqueue(List.of(NewJob.pending(JobKind.WEBHOOK, "local", site, call, null)), Instant.now());
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JobHandler longJob = handler(job -> {
            runs.incrementAndGet();
            started.countDown();
            hold(release);
            return new JobOutcome.Done();
        });
        try (JobWorkers ignored = JobWorkers.start(jobs, List.of(longJob), config(2, lease), metrics,
                Clock.systemUTC())) {
            assertTrue(started.await(10, TimeUnit.SECONDS));
            Instant firstLease = leaseOf();
            // several leases long: renewed every third of one, so it is never due again while it runs
            await().atMost(10, TimeUnit.SECONDS).until(() -> leaseOf().isAfter(firstLease.plus(lease.multipliedBy(3))));
            release.countDown();
            await().atMost(10, TimeUnit.SECONDS).until(() ->
                    jobs.counts(site).get(JobKind.WEBHOOK).getOrDefault(JobState.DONE, 0L) == 1);
        }
        assertEquals(1, runs.get(), "never claimed a second time while it ran");
        assertEquals(1, jobs.find(onlyJob()).orElseThrow().attempts());
    }

    private Instant leaseOf() {
        return jobs.find(onlyJob()).orElseThrow().nextAttemptAt();
    }

    private long onlyJob() {
        return new Jdbc(db.dataSource()).withHandle(h -> h.createQuery("SELECT id FROM job").mapTo(Long.class).one());
    }

    private static CalltrackConfig.Outbox config(int workers, Duration lease) {
        return new CalltrackConfig.Outbox(Duration.ofMillis(50), Duration.ofSeconds(10), Duration.ofMinutes(10), 30,
                Duration.ofHours(48), Duration.ofSeconds(10), workers, 1, lease, Duration.ofDays(30));
    }

    private static JobHandler handler(java.util.function.Function<Job, JobOutcome> run) {
        return new JobHandler() {
            @Override
            public JobKind kind() {
                return JobKind.WEBHOOK;
            }

            @Override
            public JobOutcome run(Job job) {
                return run.apply(job);
            }
        };
    }

    private static void hold(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) throw new AssertionError("the test never released the job");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
