package io.calltrack.recordings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.calltrack.calls.CompletedCall;
import io.calltrack.platform.db.Jdbc;
import io.calltrack.platform.jobs.Job;
import io.calltrack.platform.jobs.JobKind;
import io.calltrack.platform.jobs.JobRepository;
import io.calltrack.reports.ReportFixture;
import io.calltrack.support.MutableClock;
import io.calltrack.support.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A completed recorded call's transcription job, on the real queue: due transcription.start-delay after the call. */
class TranscriptionListenerTest {
    private final TestDatabase db = TestDatabase.create();
    private final Jdbc jdbc = new Jdbc(db.dataSource());
    private final JobRepository jobs = new JobRepository(jdbc);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-08T12:00:00Z"));

    @AfterEach
    void stop() {
        db.close();
    }

    private Optional<Job> claim() {
        return jobs.claim("worker", List.of(JobKind.TRANSCRIPTION), 1, clock.instant(), Duration.ofMinutes(1));
    }

    @Test
    void theTranscriptionIsDueTheStartDelayAfterTheCallCompleted() {
        ReportFixture fx = new ReportFixture(db.dataSource());
        long site = fx.site("UTC");
        long call = fx.call(site).at("2026-03-08T11:58:00Z").answered(3, 40, "target").insert();
        TranscriptionListener listener = new TranscriptionListener(
                new TranscriptionSettings(jdbc, new TranscriptionSettings.Site(true, "en")), jobs,
                Duration.ofSeconds(5), clock);

        listener.callCompleted(new CompletedCall(call, Optional.of(site), true));

        clock.advance(Duration.ofMillis(4_999));
        assertTrue(claim().isEmpty(), "MixMonitor may still be closing the file");
        clock.advance(Duration.ofMillis(1));
        assertEquals(Optional.of(call), claim().map(Job::callId));
    }
}
