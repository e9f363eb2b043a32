package io.calltrack.recordings;

import io.calltrack.calls.CallListener;
import io.calltrack.calls.CompletedCall;
import io.calltrack.platform.jobs.JobKind;
import io.calltrack.platform.jobs.JobRepository;
import io.calltrack.platform.jobs.NewJob;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A completed call with a recording, on a site that has transcription on, becomes a transcription job (after the
 * call's commit; the work itself is the job queue's), due {@code startDelay} later: MixMonitor closes the file only
 * after the hangup that completed the call. A failure to enqueue is logged: the call is already recorded.
 */
public final class TranscriptionListener implements CallListener {
    private static final Logger log = LoggerFactory.getLogger(TranscriptionListener.class);
    /** All transcriptions share the one local engine: {@code transcription.workers} bounds them. */
    public static final String TARGET = "transcription local";
    static final String EVENT = "call.completed";

    private final TranscriptionSettings settings;
    private final JobRepository jobs;
    private final Duration startDelay;
    private final Clock clock;

    public TranscriptionListener(TranscriptionSettings settings, JobRepository jobs, Duration startDelay, Clock clock) {
        this.settings = settings;
        this.jobs = jobs;
        this.startDelay = startDelay;
        this.clock = clock;
    }

    @Override
    public void callCompleted(CompletedCall call) {
        if (!call.recorded() || call.siteId().isEmpty()) return;
        long site = call.siteId().get();
        try {
            if (!settings.of(site).enabled()) return;
            jobs.enqueue(List.of(NewJob.pending(JobKind.TRANSCRIPTION, TARGET, site, call.id(), EVENT)
                    .after(startDelay)), clock.instant());
        } catch (RuntimeException e) {
            log.error("could not queue the transcription of call {} (database problem?): {}", call.id(), e.toString());
        }
    }

    @Override
    public void callReclassified(long callId) {
        // the audio did not change
    }
}
